// What a local install runs with: this process's own Node.js (when OpenClaw accepts it), npm's
// CLI script, and a free port on 127.0.0.1 for the gateway.
import { existsSync, realpathSync } from "node:fs";
import { createServer } from "node:net";
import { basename, delimiter, dirname, join } from "node:path";

export class LocalToolchainError extends Error {
  override name = "LocalToolchainError";
}

/** OpenClaw's engines: >=24.16.0 <25 || >=26.1.0. */
export function nodeSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return (major === 24 && minor >= 16) || (major === 26 && minor >= 1) || major > 26;
}

export function resolveNode(execPath = process.execPath, version = process.versions.node): string {
  if (!nodeSupported(version)) {
    throw new LocalToolchainError(
      `This machine runs Node.js ${version}; OpenClaw needs 24.16 or newer (24.x) or 26.1 or newer. Start Claw Cloud with Node.js 24.`,
    );
  }
  return execPath;
}

/** npm's bin/npm-cli.js: from npm_execpath (set when started by npm), else from the `npm` on PATH. */
export function resolveNpmCli(env: Record<string, string | undefined> = process.env): string {
  const fromNpm = env.npm_execpath;
  if (fromNpm && basename(fromNpm) === "npm-cli.js" && existsSync(fromNpm)) return fromNpm;
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const bin = join(dir, "npm");
    if (!existsSync(bin)) continue;
    const real = realpathSync(bin);
    if (basename(real) === "npm-cli.js") return real;
    // A wrapper script next to a node_modules/npm (Node's own tarball layout, /usr/bin/npm …).
    for (const candidate of [
      join(dirname(real), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"),
      join(dirname(real), "node_modules", "npm", "bin", "npm-cli.js"),
    ]) {
      if (existsSync(candidate)) return realpathSync(candidate);
    }
  }
  throw new LocalToolchainError("npm was not found on this machine's PATH: install npm (it comes with Node.js) to deploy here.");
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
