// OpenClaw's release channels from an npm registry: a fake registry (a third party we may fake)
// serving the abbreviated packument and a real gzipped tarball with a CHANGELOG.md; the registry
// going away keeps the last answer, dated; and one check against the real registry, skipped when
// it cannot be reached.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { type Database, openDatabase } from "@clawcloud/db";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.ts";
import { changelogSection, MAX_NOTES_CHARS, RegistryClient } from "../src/updates/registry.ts";
import { compareVersions } from "../src/updates/version-order.ts";
import { latestVersions, refreshVersions, releaseNotes } from "../src/updates/versions.ts";
import { silent } from "./support/provisioning-harness.ts";

const CHANGELOG = `# Changelog\n\n## 2026.9.6\n\n### Highlights\n\n- Updates: managed upgrades finish.\n- Usage: 30-day history.\n\n## 2026.9.5\n\n- Older things.\n`;

async function tarball(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, text] of Object.entries(files)) pack.entry({ name }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

let tdb: TestDatabase;
let database: Database;
let registry: Server;
let registryUrl: string;
let up = true;
let tarballRequests = 0;
let lastAccept = "";

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  // The changelog after a large file, as in the real package: the reader must skip past it.
  const tgz = await tarball({
    "package/package.json": '{"name":"openclaw"}',
    "package/dist/big.js": "x".repeat(200_000),
    "package/CHANGELOG.md": CHANGELOG,
  });
  registry = createServer((req, res) => {
    if (!up) {
      res.socket?.destroy();
      return;
    }
    if (req.url === "/openclaw") {
      lastAccept = String(req.headers.accept);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          name: "openclaw",
          "dist-tags": { latest: "2026.9.6", beta: "2026.9.7-beta.1" },
          versions: {
            "2026.9.6": { dist: { tarball: `${registryUrl}openclaw/-/openclaw-2026.9.6.tgz` } },
            "2026.9.7-beta.1": { dist: { tarball: `${registryUrl}openclaw/-/missing.tgz` } },
          },
        }),
      );
      return;
    }
    if (req.url === "/openclaw/-/openclaw-2026.9.6.tgz") {
      tarballRequests++;
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(tgz);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
  await new Promise((r) => registry?.close(r));
});

describe("OpenClaw versions", () => {
  it("reads the channels, then the release notes from the tarball once, and keeps them", async () => {
    const deps = { db: database.db, log: silent, registry: new RegistryClient(registryUrl) };
    const v = await refreshVersions(deps);
    expect(lastAccept).toMatch(/application\/vnd\.npm\.install-v1\+json/);
    expect(v.stale).toBe(false);
    expect(v.fetchedAt).not.toBeNull();
    expect(v.channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: "stable", version: "2026.9.6", hasReleaseNotes: true }),
        expect.objectContaining({ channel: "beta", version: "2026.9.7-beta.1" }),
      ]),
    );
    const notes = await releaseNotes(deps, "2026.9.6");
    expect(notes.notes).toBe("### Highlights\n\n- Updates: managed upgrades finish.\n- Usage: 30-day history.");
    expect(await releaseNotes(deps, "2026.9.6")).toEqual(notes);
    expect(tarballRequests).toBe(1);
    // A missing tarball: no notes, and the failure is not remembered as "no notes".
    expect((await releaseNotes(deps, "2026.9.7-beta.1")).notes).toBeNull();
    expect((await releaseNotes(deps, "2030.1.1")).notes).toBeNull();
  });

  it("keeps the last answer, dated, when the registry cannot be reached", async () => {
    const deps = { db: database.db, log: silent, registry: new RegistryClient(registryUrl, 2000) };
    const before = await latestVersions(database.db);
    up = false;
    try {
      const v = await refreshVersions(deps);
      expect(v.stale).toBe(true);
      expect(v.fetchedAt).toBe(before.fetchedAt);
      expect(v.checkedAt).not.toBe(before.checkedAt);
      expect(v.channels.find((c) => c.channel === "stable")?.version).toBe("2026.9.6");
    } finally {
      up = true;
    }
    expect((await refreshVersions(deps)).stale).toBe(false);
  });

  it("cuts a changelog section to its version and bounds it", () => {
    expect(changelogSection(CHANGELOG, "2026.9.5")).toBe("- Older things.");
    expect(changelogSection(CHANGELOG, "2026.9.4")).toBeNull();
    const long = changelogSection(`## 1.0.0\n${"- line\n".repeat(10_000)}`, "1.0.0") ?? "";
    expect(long.length).toBeLessThanOrEqual(MAX_NOTES_CHARS + 3);
    expect(compareVersions("2026.10.1", "2026.9.6")).toBeGreaterThan(0);
    expect(compareVersions("2026.9.7-beta.1", "2026.9.7")).toBeLessThan(0);
    expect(compareVersions("2026.9.6", "2026.9.6")).toBe(0);
  });

  it("reads the real registry's dist-tags (skipped when it cannot be reached)", async (ctx) => {
    const real = new RegistryClient(process.env.CLAWCLOUD_NPM_REGISTRY_URL, 10_000);
    let answer: Awaited<ReturnType<RegistryClient["channels"]>>;
    try {
      answer = await real.channels();
    } catch {
      ctx.skip();
      return;
    }
    expect(answer.versions.stable).toMatch(/^\d{4}\.\d{1,2}\.\d{1,3}/);
    expect(answer.tarballs[answer.versions.stable as string]).toMatch(/openclaw-.*\.tgz$/);
  });
});
