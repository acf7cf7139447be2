// Writes a file so that a crash leaves either the old or the new content, never half of one:
// write a temporary file with the final mode, fsync it, rename it over the target, fsync the dir.
import { open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const tmp = join(dirname(path), `.${Date.now().toString(36)}-${process.pid}.tmp`);
  const fh = await open(tmp, "wx", mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode); // the umask may have narrowed or (never) widened the mode given to open()
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
