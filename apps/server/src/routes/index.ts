// Every API operation, one file each. Adding an operation = a file + a line here.
import type { Core } from "@clawcloud/core";
import type { Api } from "../http/api.ts";
import * as listCredentials from "./credentials/list.ts";
import * as listInstances from "./instances/list.ts";
import * as getMe from "./me/get.ts";
import * as updateMe from "./me/update.ts";

export function registerV1Routes(api: Api, core: Core): void {
  for (const op of [getMe, updateMe, listInstances, listCredentials]) op.register(api, core);
}
