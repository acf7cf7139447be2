// The API's own shapes, from the shared contracts package. Types only: no schema code (zod) ships
// in the web bundle; the server validates.
import type { Me } from "@clawcloud/contracts";

export type { Me };
export type User = Me["user"];
export type Workspace = Me["workspace"];
