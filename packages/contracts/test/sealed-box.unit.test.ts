// The sealed box is libsodium's wire format: what we seal, libsodium opens, and the other way.
import sodium from "libsodium-wrappers";
import { beforeAll, describe, expect, test } from "vitest";
import { decodeRelayFrame, encodeRelayFrame, RelayOp, seal, sealOpen } from "../src/index.ts";

beforeAll(async () => {
  await sodium.ready;
});

const text = (s: string) => new TextEncoder().encode(s);

describe("sealed box", () => {
  test("libsodium opens what we seal", () => {
    const { publicKey, privateKey } = sodium.crypto_box_keypair();
    const message = text('{"apiKey":"sk-canary-1","model":"gpt-x"}');
    const opened = sodium.crypto_box_seal_open(seal(message, publicKey), publicKey, privateKey);
    expect(new TextDecoder().decode(opened)).toBe('{"apiKey":"sk-canary-1","model":"gpt-x"}');
  });

  test("we open what libsodium seals", () => {
    const { publicKey, privateKey } = sodium.crypto_box_keypair();
    for (const size of [0, 1, 63, 64, 65, 4096]) {
      const message = sodium.randombytes_buf(size);
      expect(sealOpen(sodium.crypto_box_seal(message, publicKey), publicKey, privateKey)).toEqual(message);
    }
  });

  test("every seal differs, and a changed byte or another key does not open", () => {
    const { publicKey, privateKey } = sodium.crypto_box_keypair();
    const other = sodium.crypto_box_keypair();
    const a = seal(text("same"), publicKey);
    const b = seal(text("same"), publicKey);
    expect(a).not.toEqual(b);
    const tampered = a.slice();
    tampered[40] = (tampered[40] as number) ^ 1;
    expect(() => sealOpen(tampered, publicKey, privateKey)).toThrow();
    expect(() => sealOpen(a, other.publicKey, other.privateKey)).toThrow();
    expect(() => sealOpen(a.subarray(0, 20), publicKey, privateKey)).toThrow(/too short/);
  });
});

describe("relay frames", () => {
  test("header round trip; anything else is not a relay frame", () => {
    const f = decodeRelayFrame(encodeRelayFrame(RelayOp.DATA, 0xfffffffe, "héllo"));
    expect(f?.op).toBe(RelayOp.DATA);
    expect(f?.channel).toBe(0xfffffffe);
    expect(new TextDecoder().decode(f?.payload)).toBe("héllo");
    expect(decodeRelayFrame(new Uint8Array([2, 0, 0]))).toBeUndefined();
    expect(decodeRelayFrame(new Uint8Array([9, 0, 0, 0, 1]))).toBeUndefined();
  });
});
