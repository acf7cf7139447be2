// EC2 key pairs.

import { createHash } from "node:crypto";
import type { RegionState, SimContext, SimKey } from "./state.ts";
import { filters, matchAny, type Node, need, SimError, strings, tagFilter, tagSet, tagSpecs, type X } from "./xml.ts";

export function describeKeys(p: Node, r: RegionState): Record<string, X> {
  const names = strings(p, "KeyName");
  const ids = strings(p, "KeyPairId");
  let keys = [...r.keys.values()].filter((k) => (names.length === 0 || names.includes(k.name)) && (ids.length === 0 || ids.includes(k.id)));
  if (names.length && keys.length < names.length)
    throw new SimError("InvalidKeyPair.NotFound", `The key pair '${names.join(",")}' does not exist`);
  for (const f of filters(p)) {
    keys = keys.filter((k) => {
      const t = tagFilter(f, k.tags);
      if (t !== undefined) return t;
      if (f.name === "key-name") return matchAny(f.values, k.name);
      throw new SimError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
    });
  }
  return {
    keySet: keys.map((k) => ({
      keyPairId: k.id,
      keyFingerprint: k.fingerprint,
      keyName: k.name,
      keyType: k.material.startsWith("ssh-rsa") ? "rsa" : "ed25519",
      tagSet: tagSet(k.tags),
    })),
  };
}

export function importKey(ctx: SimContext, p: Node, r: RegionState): Record<string, X> {
  const name = need(p, "KeyName");
  const material = Buffer.from(need(p, "PublicKeyMaterial"), "base64").toString("utf8");
  if (!/^(ssh-rsa|ssh-ed25519) [A-Za-z0-9+/]+=*( [^\n]*)?\n?$/.test(material)) {
    throw new SimError("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
  }
  if (r.keys.has(name)) throw new SimError("InvalidKeyPair.Duplicate", `The keypair '${name}' already exists.`);
  const specs = tagSpecs(p);
  for (const s of specs)
    if (s.type !== "key-pair")
      throw new SimError("InvalidParameterValue", `'${s.type}' is not a valid taggable resource type for this operation.`);
  const fingerprint = (createHash("md5").update(material).digest("hex").match(/../g) ?? []).join(":");
  const key: SimKey = { id: ctx.id("key"), name, fingerprint, material, tags: specs.flatMap((s) => s.tags) };
  r.keys.set(name, key);
  return { keyFingerprint: key.fingerprint, keyName: key.name, keyPairId: key.id, tagSet: tagSet(key.tags) };
}
