import { idParam } from "@clawcloud/contracts";
import { z } from "zod";

export const rolloutIdParams = z.object({ id: idParam("rol") });
