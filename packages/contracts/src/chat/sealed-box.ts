// libsodium's `crypto_box_seal`, so a browser can seal the user's model key to the agent's X25519
// public key and only the agent can open it. Built from audited primitives (@noble): an ephemeral
// X25519 key pair, nonce = BLAKE2b-192(ephemeralPk ‖ recipientPk), key = HSalsa20(shared, 0),
// XSalsa20-Poly1305; output = ephemeralPk ‖ ciphertext. Interoperability with libsodium itself is
// tested both ways (packages/contracts/test/sealed-box.unit.test.ts).
import { hsalsa, xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { blake2b } from "@noble/hashes/blake2.js";

export const SEAL_OVERHEAD = 32 + 16;

// "expand 32-byte k" as little-endian words.
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);

function words(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

function bytes(w: Uint32Array): Uint8Array {
  const out = new Uint8Array(w.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < w.length; i++) view.setUint32(i * 4, w[i] as number, true);
  return out;
}

/** crypto_box_beforenm: the XSalsa20-Poly1305 key two X25519 parties share. */
function boxKey(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const shared = x25519.getSharedSecret(secretKey, publicKey);
  const out = new Uint32Array(8);
  hsalsa(SIGMA, words(shared), new Uint32Array(4), out);
  return bytes(out);
}

function sealNonce(ephemeralPk: Uint8Array, recipientPk: Uint8Array): Uint8Array {
  const input = new Uint8Array(64);
  input.set(ephemeralPk, 0);
  input.set(recipientPk, 32);
  return blake2b(input, { dkLen: 24 });
}

export function seal(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  if (recipientPublicKey.length !== 32) throw new Error("the recipient key must be 32 bytes");
  const ephemeralSk = x25519.utils.randomSecretKey();
  const ephemeralPk = x25519.getPublicKey(ephemeralSk);
  const box = xsalsa20poly1305(boxKey(ephemeralSk, recipientPublicKey), sealNonce(ephemeralPk, recipientPublicKey)).encrypt(message);
  ephemeralSk.fill(0);
  const out = new Uint8Array(32 + box.length);
  out.set(ephemeralPk, 0);
  out.set(box, 32);
  return out;
}

/** Opens a sealed box; throws when it was not sealed to this key pair or was altered. */
export function sealOpen(sealed: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array {
  if (sealed.length < SEAL_OVERHEAD) throw new Error("sealed box too short");
  const ephemeralPk = sealed.subarray(0, 32);
  return xsalsa20poly1305(boxKey(secretKey, ephemeralPk), sealNonce(ephemeralPk, publicKey)).decrypt(sealed.subarray(32));
}
