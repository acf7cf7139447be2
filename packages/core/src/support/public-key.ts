// The support engineers' SSH public key (CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY), checked like a user's
// key. Only `type base64` goes to the agents: the comment is dropped, so nothing but a checked key
// ever reaches an authorized_keys line.
import { parsePublicKey } from "@clawcloud/providers";

export function parseSshPublicKey(line: string): { key: string } | { error: string } {
  const parsed = parsePublicKey(line);
  if ("error" in parsed) return parsed;
  return { key: `${parsed.type} ${parsed.blob.toString("base64")}` };
}
