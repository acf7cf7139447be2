// Opens a stored credential for one use. A row that does not decrypt (a missing master key
// version, a tampered or moved ciphertext) fails closed, alone: it is marked unavailable and the
// caller gets CREDENTIAL_UNAVAILABLE — never a driver with an empty secret.
import type { Provider } from "@clawcloud/contracts";
import { eq, schema } from "@clawcloud/db";
import type { ComputeProviderV1 } from "@clawcloud/providers";
import type { Actor } from "../actor.ts";
import { AppError } from "../errors.ts";
import { credentialAad, decryptSecret } from "../vault/envelope.ts";
import type { CredentialDeps } from "./create-credential.ts";
import type { ProviderSecret } from "./drivers.ts";
import { findCredential } from "./find-credential.ts";
import { toAppError } from "./provider-error.ts";

export const UNAVAILABLE_MESSAGE = "This cloud account's stored secret cannot be opened. Delete it and add the token again.";

/**
 * The driver for a stored credential. Its errors are the driver's own ProviderErrors, which the
 * provisioning state machine needs as they are (retryable or not, Retry-After).
 */
export async function openDriver(
  deps: CredentialDeps,
  actor: Pick<Actor, "workspaceId">,
  id: string,
  opts: { markUsed?: boolean } = {},
): Promise<ComputeProviderV1> {
  const row = await findCredential(deps.db, actor, id);
  let secret: ProviderSecret;
  try {
    const plain = await decryptSecret(deps.keys, row, credentialAad(row.workspaceId, row.id));
    secret = JSON.parse(plain) as ProviderSecret;
    if (!secret) throw new Error("empty secret");
  } catch {
    await deps.db
      .update(schema.cloudCredentials)
      .set({ status: "unavailable", statusMessage: UNAVAILABLE_MESSAGE })
      .where(eq(schema.cloudCredentials.id, row.id));
    throw new AppError("CREDENTIAL_UNAVAILABLE", UNAVAILABLE_MESSAGE);
  }
  // "Last used" means used to deploy or delete a server, not read for the wizard's lists.
  if (opts.markUsed)
    await deps.db.update(schema.cloudCredentials).set({ lastUsedAt: new Date() }).where(eq(schema.cloudCredentials.id, row.id));
  return deps.drivers(row.provider as Provider, secret, row.id);
}

/** One use of a stored credential on behalf of a person: provider errors become API errors. */
export async function withCredential<T>(
  deps: CredentialDeps,
  actor: Pick<Actor, "workspaceId">,
  id: string,
  use: (driver: ComputeProviderV1) => Promise<T>,
): Promise<T> {
  const driver = await openDriver(deps, actor, id);
  try {
    return await use(driver);
  } catch (err) {
    throw toAppError(err);
  }
}
