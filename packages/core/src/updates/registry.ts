// Reads OpenClaw's release channels from an npm registry: the dist-tags (stable = `latest`,
// `beta`) from the abbreviated packument, and one version's release notes from the CHANGELOG.md
// inside its tarball. The tarball is streamed and the download stops as soon as the changelog has
// been read, so a 100 MB package costs only the bytes up to that file.

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { type Dispatcher, EnvHttpProxyAgent } from "undici";

export const DEFAULT_NPM_REGISTRY = "https://registry.npmjs.org/";
export const PACKAGE = "openclaw";
/** Release notes kept per version (a section of the changelog; the rest is cut). */
export const MAX_NOTES_CHARS = 16_000;
const MAX_CHANGELOG_BYTES = 2 * 1024 * 1024;

export const CHANNEL_TAGS = { stable: "latest", beta: "beta" } as const;
export type Channel = keyof typeof CHANNEL_TAGS;

export interface RegistryAnswer {
  versions: Partial<Record<Channel, string>>;
  tarballs: Record<string, string>;
  published: Record<string, string>;
}

const proxied = () =>
  ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"].some((k) => process.env[k]) ? new EnvHttpProxyAgent() : undefined;

export class RegistryClient {
  readonly #base: string;
  readonly #timeoutMs: number;
  // The machine's proxy settings (HTTP(S)_PROXY, NO_PROXY), as npm itself would use them.
  readonly #dispatcher: Dispatcher | undefined = proxied();

  constructor(registryUrl: string | undefined, timeoutMs = 15_000) {
    this.#base = (registryUrl ?? DEFAULT_NPM_REGISTRY).replace(/\/?$/, "/");
    this.#timeoutMs = timeoutMs;
  }

  #fetch(url: string, accept: string, signal: AbortSignal): Promise<Response> {
    const init = { headers: { accept }, redirect: "follow", signal, dispatcher: this.#dispatcher } as RequestInit;
    return fetch(url, init);
  }

  async channels(): Promise<RegistryAnswer> {
    const res = await this.#fetch(
      new URL(PACKAGE, this.#base).toString(),
      "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8",
      AbortSignal.timeout(this.#timeoutMs),
    );
    if (!res.ok) throw new Error(`the registry answered HTTP ${res.status}`);
    const body = (await res.json()) as {
      "dist-tags"?: Record<string, unknown>;
      versions?: Record<string, { dist?: { tarball?: unknown } }>;
      time?: Record<string, unknown>;
    };
    const versions: RegistryAnswer["versions"] = {};
    const tarballs: Record<string, string> = {};
    const published: Record<string, string> = {};
    for (const [channel, tag] of Object.entries(CHANNEL_TAGS) as [Channel, string][]) {
      const v = body["dist-tags"]?.[tag];
      if (typeof v !== "string" || !VERSION_RE.test(v)) continue;
      versions[channel] = v;
      const tarball = body.versions?.[v]?.dist?.tarball;
      if (typeof tarball === "string") tarballs[v] = tarball;
      const time = body.time?.[v];
      if (typeof time === "string") published[v] = time;
    }
    if (!versions.stable) throw new Error("the registry's answer has no `latest` dist-tag for openclaw");
    return { versions, tarballs, published };
  }

  /** The changelog section for `version`, or null when the tarball has none. */
  async releaseNotes(version: string, tarballUrl: string): Promise<string | null> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs * 8);
    try {
      const res = await this.#fetch(tarballUrl, "application/octet-stream", controller.signal);
      if (!res.ok || !res.body) throw new Error(`the registry answered HTTP ${res.status} for the tarball`);
      const changelog = await readChangelog(Readable.fromWeb(res.body as never), controller);
      return changelog === null ? null : changelogSection(changelog, version);
    } finally {
      clearTimeout(timer);
    }
  }
}

export const VERSION_RE = /^\d{4}\.\d{1,2}\.\d{1,3}(-[0-9A-Za-z.-]+)?$/;

async function readChangelog(body: Readable, controller: AbortController): Promise<string | null> {
  const extract = tar.extract();
  let found: string | null = null;
  extract.on("entry", (header, stream, next) => {
    if (header.name !== "package/CHANGELOG.md" || (header.size ?? 0) > MAX_CHANGELOG_BYTES) {
      stream.on("end", next);
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    stream.on("data", (c: unknown) => chunks.push(c as Buffer));
    stream.on("end", () => {
      found = Buffer.concat(chunks).toString("utf8");
      // Nothing else in the tarball is needed: stop the download here.
      controller.abort();
      next();
    });
  });
  try {
    await pipeline(body, createGunzip(), extract);
  } catch (err) {
    if (found === null) throw err;
  }
  return found;
}

/** `## <version>` up to the next `## ` heading, bounded. */
export function changelogSection(changelog: string, version: string): string | null {
  const lines = changelog.split("\n");
  const start = lines.findIndex(
    (l) =>
      /^##\s/.test(l) &&
      l
        .replace(/^##\s+/, "")
        .trim()
        .split(/[\s(]/)[0] === version,
  );
  if (start < 0) return null;
  let end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  if (end < 0) end = lines.length;
  const section = lines
    .slice(start + 1, end)
    .join("\n")
    .trim();
  return section.length > MAX_NOTES_CHARS ? `${section.slice(0, MAX_NOTES_CHARS).replace(/\n[^\n]*$/, "")}\n\n…` : section;
}
