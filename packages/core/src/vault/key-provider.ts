// Master keys wrap the per-credential data keys. The KeyProvider seam lets AWS KMS or Vault transit
// replace the local key file without touching callers: they only wrap and unwrap.

export interface WrappedKey {
  keyVersion: number;
  /** base64: iv(12) | tag(16) | ciphertext of the 32-byte data key. */
  wrapped: string;
}

export interface KeyProvider {
  readonly kind: string;
  /** The version new data keys are wrapped with. */
  currentVersion(): number;
  wrap(dataKey: Buffer, aad: Buffer): Promise<WrappedKey>;
  /** Throws when the version is unknown or the wrapped key does not verify. */
  unwrap(key: WrappedKey, aad: Buffer): Promise<Buffer>;
}
