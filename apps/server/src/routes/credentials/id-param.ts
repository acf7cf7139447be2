import { idParam } from "@clawcloud/contracts";
import { z } from "zod";

export const credentialIdParams = z.object({ id: idParam("crd") });
