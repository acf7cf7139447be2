// Stages a new agent bundle: downloads it from the server the agent is registered with (the one
// fixed path, never an address from a command), refuses it unless its sha256 is the one the
// command named, writes it beside the running bundle, and checks that Node loads it and that it
// calls itself the expected version. Nothing the service starts is changed here.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { AGENT_BUNDLE_PATH } from "@clawcloud/contracts";
import { writeFileAtomic } from "../atomic-file.ts";
import { CommandError } from "../commands/command.ts";
import type { BundleFiles } from "./bundle-files.ts";

/** The bundle is ~0.5 MB; anything far larger is not ours. */
const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 120_000;
const SMOKE_TIMEOUT_MS = 30_000;

export interface StageInput {
  serverUrl: string;
  files: BundleFiles;
  version: string;
  sha256: string;
  nodePath: string;
  signal: AbortSignal;
}

export async function stageBundle(o: StageInput): Promise<void> {
  const bytes = await download(new URL(AGENT_BUNDLE_PATH, o.serverUrl), o.signal);
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== o.sha256) {
    throw new CommandError(
      "AGENT_UPDATE_CHECKSUM",
      `The downloaded agent bundle has sha256 ${actual}, not the expected ${o.sha256}; nothing was changed.`,
    );
  }
  await writeFileAtomic(o.files.next, bytes, 0o644);
  const printed = await smokeTest(o.nodePath, o.files.next, o.signal).catch(async (err: unknown) => {
    await rm(o.files.next, { force: true });
    throw new CommandError(
      "AGENT_UPDATE_SMOKE",
      `The new agent bundle does not start: ${err instanceof Error ? err.message : String(err)}; nothing was changed.`,
    );
  });
  if (printed !== o.version) {
    await rm(o.files.next, { force: true });
    throw new CommandError(
      "AGENT_UPDATE_SMOKE",
      `The new agent bundle calls itself ${JSON.stringify(printed.slice(0, 64))}, not ${o.version}; nothing was changed.`,
    );
  }
}

async function download(url: URL, signal: AbortSignal): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: "error", signal: AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]) });
  } catch (err) {
    throw new CommandError("AGENT_UPDATE_DOWNLOAD", `Could not download the agent bundle from ${url.origin}: ${describe(err)}`);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new CommandError("AGENT_UPDATE_DOWNLOAD", `The server answered ${res.status} for the agent bundle.`);
  }
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MAX_BUNDLE_BYTES) {
    await res.body?.cancel();
    throw new CommandError("AGENT_UPDATE_DOWNLOAD", `The agent bundle is ${declared} bytes, over the ${MAX_BUNDLE_BYTES}-byte limit.`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_BUNDLE_BYTES)
      throw new CommandError("AGENT_UPDATE_DOWNLOAD", `The agent bundle is over the ${MAX_BUNDLE_BYTES}-byte limit.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `node <bundle> --version`: the whole bundle is evaluated before main() answers. */
function smokeTest(nodePath: string, file: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      nodePath,
      [file, "--version"],
      { timeout: SMOKE_TIMEOUT_MS, signal, maxBuffer: 64 * 1024, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" } },
      (err, stdout, stderr) => {
        if (err) {
          const firstLine =
            String(stderr)
              .split("\n")
              .find((l) => l.trim()) ?? "";
          reject(new Error(`${describe(err)}${firstLine ? ` (${firstLine.slice(0, 300)})` : ""}`));
        } else resolve(String(stdout).trim());
      },
    );
  });
}

const describe = (err: unknown) => {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
};
