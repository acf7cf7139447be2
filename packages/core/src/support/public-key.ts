// The support engineers' SSH public key (CLAWCLOUD_SUPPORT_SSH_PUBLIC_KEY). Only `type base64`
// goes to the agents: the comment is dropped, so nothing but a checked key ever reaches an
// authorized_keys line.
const KEY_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

/** `type base64` of a valid OpenSSH public key line, or undefined. */
export function parseSshPublicKey(line: string): string | undefined {
  const m = /^([a-z0-9@.-]+) ([A-Za-z0-9+/]+={0,2})(?: [^\r\n]*)?$/.exec(line.trim());
  if (!m) return undefined;
  const [, type, blob] = m as unknown as [string, string, string];
  if (!KEY_TYPES.has(type)) return undefined;
  // The blob starts with the key type again (uint32 length + name): a pasted blob of another key fails.
  const bytes = Buffer.from(blob, "base64");
  if (bytes.length < 4 + type.length) return undefined;
  const len = bytes.readUInt32BE(0);
  if (len !== type.length || bytes.subarray(4, 4 + len).toString("latin1") !== type) return undefined;
  return `${type} ${blob}`;
}
