import { idParam } from "@clawcloud/contracts";
import { z } from "zod";

export const instanceIdParams = z.object({ id: idParam("ins") });
