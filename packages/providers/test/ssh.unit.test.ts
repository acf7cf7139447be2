import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parsePublicKey, throwawayPublicKey } from "../src/ssh.ts";

describe("ssh keys", () => {
  it("makes a valid OpenSSH ed25519 public key, a different one each time", () => {
    const a = throwawayPublicKey("clawcloud-instance:ins_1");
    const b = throwawayPublicKey("clawcloud-instance:ins_1");
    expect(a.line).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} clawcloud-instance:ins_1$/);
    expect(a.line).not.toBe(b.line);
    // The 32 bytes after the type are a real Ed25519 point.
    const raw = a.blob.subarray(a.blob.length - 32);
    expect(() => createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" })).not.toThrow();
    expect(a.md5).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(parsePublicKey(a.line)).toMatchObject({ type: "ssh-ed25519", md5: a.md5 });
  });

  it("keeps nothing private: the result holds only public material", () => {
    const k = throwawayPublicKey("x");
    expect(Object.keys(k).sort()).toEqual(["blob", "line", "md5", "type"]);
    expect(k.blob.length).toBe(4 + 11 + 4 + 32);
  });

  it.each([
    ["-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----", /private key/],
    ["ssh-dss AAAAB3NzaC1kc3M= x", /OpenSSH format/],
    ["ssh-ed25519 not*base64", /damaged/],
    [`ssh-rsa ${throwawayPublicKey("x").line.split(" ")[1]}`, /does not match/],
    ["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7", /shorter than 2048/],
    ["", /OpenSSH format/],
  ])("refuses %j with a reason", (input, reason) => {
    const r = parsePublicKey(input);
    expect("error" in r ? r.error : "").toMatch(reason);
  });
});
