// The agent credential (the bearer secret for the WebSocket), kept 0600 in the state directory.
// A revoked credential is moved aside, so that a later start with a new registration token
// registers again while a start without one explains what happened.
import { access, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "./atomic-file.ts";

export const CREDENTIAL_FILE = "credential.json";
export const REVOKED_CREDENTIAL_FILE = "credential.revoked.json";

const storedCredentialSchema = z.object({
  instanceId: z.string(),
  serverUrl: z.string(),
  credential: z.string().min(1),
  registeredAt: z.string(),
});
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? "invalid JSON"}`);
  }
}

export async function readCredential(stateDir: string): Promise<StoredCredential | undefined> {
  const raw = await readJson(join(stateDir, CREDENTIAL_FILE));
  if (raw === undefined) return undefined;
  const parsed = storedCredentialSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${join(stateDir, CREDENTIAL_FILE)} is malformed`);
  return parsed.data;
}

export async function writeCredential(stateDir: string, credential: StoredCredential): Promise<void> {
  await writeFileAtomic(join(stateDir, CREDENTIAL_FILE), `${JSON.stringify(credential, null, 2)}\n`, 0o600);
}

export async function markCredentialRevoked(stateDir: string): Promise<void> {
  await rename(join(stateDir, CREDENTIAL_FILE), join(stateDir, REVOKED_CREDENTIAL_FILE));
}

export async function hasRevokedCredential(stateDir: string): Promise<boolean> {
  return access(join(stateDir, REVOKED_CREDENTIAL_FILE)).then(
    () => true,
    () => false,
  );
}
