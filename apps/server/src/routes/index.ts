// Every API operation, one file each. Adding an operation = a file + a line here.
import type { Core } from "@clawcloud/core";
import type { Api } from "../http/api.ts";
import * as createApiToken from "./api-tokens/create.ts";
import * as deleteApiToken from "./api-tokens/delete.ts";
import * as listApiTokens from "./api-tokens/list.ts";
import * as awsSetup from "./credentials/aws-setup.ts";
import * as createCredential from "./credentials/create.ts";
import * as deleteCredential from "./credentials/delete.ts";
import * as listCredentials from "./credentials/list.ts";
import * as credentialRegions from "./credentials/regions.ts";
import * as credentialSizes from "./credentials/sizes.ts";
import * as verifyCredential from "./credentials/verify.ts";
import type { RouteDeps } from "./deps.ts";
import * as createInstance from "./instances/create.ts";
import * as deleteInstance from "./instances/delete.ts";
import * as getInstance from "./instances/get.ts";
import * as listInstances from "./instances/list.ts";
import * as openaiChatCompletions from "./instances/openai-chat-completions.ts";
import * as openaiModels from "./instances/openai-models.ts";
import * as retryInstance from "./instances/retry.ts";
import * as setModel from "./instances/set-model.ts";
import * as instanceStream from "./instances/stream.ts";
import * as getMe from "./me/get.ts";
import * as updateMe from "./me/update.ts";
import * as listProviders from "./providers/list.ts";

export function registerV1Routes(api: Api, core: Core, deps: RouteDeps): void {
  for (const op of [
    getMe,
    updateMe,
    listInstances,
    createInstance,
    getInstance,
    deleteInstance,
    retryInstance,
    instanceStream,
    setModel,
    openaiChatCompletions,
    openaiModels,
    listApiTokens,
    createApiToken,
    deleteApiToken,
    listProviders,
    listCredentials,
    awsSetup,
    createCredential,
    deleteCredential,
    verifyCredential,
    credentialRegions,
    credentialSizes,
  ]) {
    op.register(api, core, deps);
  }
}
