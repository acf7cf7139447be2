import { type ModelSecret, modelPresets, type SetModelResult, seal } from "@clawcloud/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { type InstanceDetail, instanceKey } from "../instances/api";

export type PresetId = keyof typeof modelPresets;
export const presetIds = Object.keys(modelPresets) as PresetId[];

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The sealed box for `PUT …/model`: only the instance's agent can open it. */
export function sealModelSecret(secret: ModelSecret, agentPublicKey: string): string {
  const plain = new TextEncoder().encode(JSON.stringify(secret));
  const sealed = seal(plain, fromBase64(agentPublicKey));
  plain.fill(0);
  return toBase64(sealed);
}

/** Which preset an instance's current model most likely came from (to prefill "Change model"). */
export function presetFor(model: InstanceDetail["model"]): PresetId {
  if (!model) return "anthropic";
  for (const id of presetIds) {
    const preset = modelPresets[id];
    if (preset.baseUrl && model.host && preset.baseUrl.includes(model.host) && preset.api === model.api) return id;
  }
  return "custom";
}

/** Seals in the browser and PUTs; the key lives only in this call's arguments. */
export function useSetModel(instance: InstanceDetail) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (secret: ModelSecret) => {
      if (!instance.agentPublicKey) throw new Error("no agent key");
      const sealed = sealModelSecret(secret, instance.agentPublicKey);
      return api<SetModelResult>(`/api/v1/instances/${encodeURIComponent(instance.id)}/model`, { method: "PUT", body: { sealed } });
    },
    onSuccess: (result) => {
      if (!result.applied || !result.model) return;
      queryClient.setQueryData<InstanceDetail>(instanceKey(instance.id), (old) => (old ? { ...old, model: result.model } : old));
      void queryClient.invalidateQueries({ queryKey: instanceKey(instance.id) });
    },
  });
}

/** The test call's failure in words a person can act on. */
export function checkMessage(check: SetModelResult["check"]): string {
  const detail = check.message ? ` The provider said: “${check.message}”` : "";
  switch (check.errorKind) {
    case "auth":
      return `The provider refused the API key. Check that you pasted the whole key and that it is active.${detail}`;
    case "model_not_found":
      return `The provider doesn't know this model id. Check its spelling in the provider's model list.${detail}`;
    case "rate_limit":
      return `The provider is rate-limiting this key (or its credit ran out). Wait a minute or check your plan.${detail}`;
    case "unreachable":
      return `Your instance couldn't reach the base URL. Check the address and that the server accepts connections from your instance.${detail}`;
    default:
      return `The test call failed${check.httpStatus ? ` (HTTP ${check.httpStatus})` : ""}.${detail || " Try again, or check the provider's status page."}`;
  }
}
