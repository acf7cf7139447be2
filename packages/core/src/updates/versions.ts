// The newest OpenClaw per channel, refreshed from the registry on a schedule. When the registry
// cannot be reached the last known answer stays, with the time it was fetched and the error of
// the failed attempt, so the API and UI can say how old it is.
import type { OpenclawVersions, ReleaseNotes } from "@clawcloud/contracts";
import { type Db, eq, schema } from "@clawcloud/db";
import type { Logger } from "../logger.ts";
import type { Channel, RegistryClient } from "./registry.ts";

export interface VersionDeps {
  db: Db;
  log: Logger;
  registry: RegistryClient;
}

export async function refreshVersions(deps: VersionDeps): Promise<OpenclawVersions> {
  const { db, log, registry } = deps;
  const now = new Date();
  let answer: Awaited<ReturnType<RegistryClient["channels"]>>;
  try {
    answer = await registry.channels();
  } catch (err) {
    const message = describe(err);
    log.warn({ error: message }, "OpenClaw versions: the registry could not be reached; keeping the last known answer");
    await db.update(schema.openclawChannels).set({ checkedAt: now, lastError: message });
    return latestVersions(db);
  }
  for (const [channel, version] of Object.entries(answer.versions) as [Channel, string][]) {
    await db
      .insert(schema.openclawChannels)
      .values({ channel, version, fetchedAt: now, checkedAt: now, lastError: null })
      .onConflictDoUpdate({ target: schema.openclawChannels.channel, set: { version, fetchedAt: now, checkedAt: now, lastError: null } });
  }
  for (const [version, tarball] of Object.entries(answer.tarballs)) {
    const published = answer.published[version];
    await db
      .insert(schema.openclawReleases)
      .values({ version, tarball, publishedAt: published ? new Date(published) : null })
      .onConflictDoUpdate({ target: schema.openclawReleases.version, set: { tarball } });
  }
  return latestVersions(db);
}

export async function latestVersions(db: Db): Promise<OpenclawVersions> {
  const rows = await db
    .select({
      channel: schema.openclawChannels.channel,
      version: schema.openclawChannels.version,
      fetchedAt: schema.openclawChannels.fetchedAt,
      checkedAt: schema.openclawChannels.checkedAt,
      lastError: schema.openclawChannels.lastError,
      publishedAt: schema.openclawReleases.publishedAt,
      tarball: schema.openclawReleases.tarball,
      notes: schema.openclawReleases.notes,
    })
    .from(schema.openclawChannels)
    .leftJoin(schema.openclawReleases, eq(schema.openclawReleases.version, schema.openclawChannels.version));
  const channels = rows.map((r) => ({
    channel: r.channel as Channel,
    version: r.version,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    hasReleaseNotes: r.notes !== null || r.tarball !== null,
  }));
  const stable = rows.find((r) => r.channel === "stable");
  return {
    channels,
    fetchedAt: stable?.fetchedAt.toISOString() ?? null,
    checkedAt: stable?.checkedAt.toISOString() ?? null,
    stale: !!stable?.lastError,
  };
}

/** A known version's notes: read from its tarball on the first request (a large download, so
 * only for versions someone looks at), then served from the database. */
export async function releaseNotes(deps: VersionDeps, version: string): Promise<ReleaseNotes> {
  const r = schema.openclawReleases;
  const [row] = await deps.db.select().from(r).where(eq(r.version, version)).limit(1);
  if (!row) return { version, notes: null, publishedAt: null };
  let notes = row.notes;
  if (!row.notesFetchedAt && row.tarball) {
    try {
      notes = await deps.registry.releaseNotes(version, row.tarball);
      await deps.db.update(r).set({ notes, notesFetchedAt: new Date() }).where(eq(r.version, version));
    } catch (err) {
      // Tried again on the next request.
      deps.log.warn({ version, error: describe(err) }, "OpenClaw release notes could not be read");
    }
  }
  return { version, notes, publishedAt: row.publishedAt?.toISOString() ?? null };
}

/** The stable channel's version, for "update available". */
export async function latestStable(db: Db): Promise<string | null> {
  const [row] = await db
    .select({ version: schema.openclawChannels.version })
    .from(schema.openclawChannels)
    .where(eq(schema.openclawChannels.channel, "stable"))
    .limit(1);
  return row?.version ?? null;
}

const describe = (err: unknown) => {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const why = e.cause?.code ?? e.cause?.message;
  return `${e.message ?? String(err)}${why ? ` (${why})` : ""}`.slice(0, 300);
};
