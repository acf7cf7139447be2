// The active support grant, persisted in the state directory so that an agent started after a
// crash, a reboot or while cut off from the server still knows what to remove, and when.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../atomic-file.ts";

export const GRANT_FILE = "support-grant.json";

export const storedGrantSchema = z.object({
  grantId: z.string().regex(/^sgr_[0-9a-z]{26}$/),
  /** `type base64` only: checked again here, it becomes an authorized_keys line. */
  publicKey: z.string().regex(/^[a-z0-9@.-]+ [A-Za-z0-9+/]+={0,2}$/),
  expiresAt: z.iso.datetime(),
});
export type StoredGrant = z.infer<typeof storedGrantSchema>;

export async function readGrant(stateDir: string): Promise<StoredGrant | undefined> {
  try {
    return storedGrantSchema.parse(JSON.parse(await readFile(join(stateDir, GRANT_FILE), "utf8")));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    // Unreadable: treat as a grant that must go (the key is removed at start either way).
    return undefined;
  }
}

export const writeGrant = (stateDir: string, grant: StoredGrant) =>
  writeFileAtomic(join(stateDir, GRANT_FILE), `${JSON.stringify(grant)}\n`, 0o600);

export const clearGrant = (stateDir: string) => rm(join(stateDir, GRANT_FILE), { force: true });
