// The Debian 12 image the host test boots: built by image/build-image.sh (debootstrap), cached
// under /var/cache/clawcloud-host-test keyed by that script's sha256, and mounted under an overlay
// for every machine so a run never changes the cache. A missing or half-built cache entry is simply built again.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { must, run, stream } from "./run.ts";

export const CACHE_DIR = process.env.CLAWCLOUD_HOST_TEST_CACHE ?? "/var/cache/clawcloud-host-test";
const BUILD_SCRIPT = join(import.meta.dirname, "..", "image", "build-image.sh");

/** The cached root filesystem, built first if needed. `log` gets the build's output. */
export async function ensureImage(log: (line: string) => void): Promise<{ rootfs: string; built: boolean }> {
  const key = createHash("sha256").update(readFileSync(BUILD_SCRIPT)).digest("hex").slice(0, 16);
  const dir = join(CACHE_DIR, `debian12-${key}`);
  const rootfs = join(dir, "rootfs");
  // The marker is written last: a build that was interrupted leaves no marker and is redone.
  if (existsSync(join(dir, "complete"))) return { rootfs, built: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const code = await stream("bash", [BUILD_SCRIPT, rootfs], log);
  if (code !== 0) throw new Error(`building the Debian 12 image failed (exit ${code}); see the log above`);
  await must("touch", [join(dir, "complete")]);
  // Images of earlier versions of the build script are of no further use.
  for (const old of readdirSync(CACHE_DIR).filter((d) => d.startsWith("debian12-") && join(CACHE_DIR, d) !== dir)) {
    rmSync(join(CACHE_DIR, old), { recursive: true, force: true });
  }
  return { rootfs, built: true };
}

/**
 * A private writable view of the image for one machine: an overlay whose upper layer takes every
 * change (so the cache stays pristine, and a reboot keeps what the first boot wrote).
 */
export async function mountImage(rootfs: string, dir: string): Promise<string> {
  await unmountImage(dir);
  for (const d of ["upper", "work", "root"]) mkdirSync(join(dir, d), { recursive: true });
  const root = join(dir, "root");
  await must("mount", [
    "-t",
    "overlay",
    "overlay",
    "-o",
    `lowerdir=${rootfs},upperdir=${join(dir, "upper")},workdir=${join(dir, "work")}`,
    root,
  ]);
  return root;
}

export async function unmountImage(dir: string): Promise<void> {
  await run("umount", [join(dir, "root")]);
  rmSync(dir, { recursive: true, force: true });
}
