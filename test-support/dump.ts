// A test's database, dumped as text: every row of every table in every schema (ours, better-auth's,
// the job queue's), so canary tests can prove a secret is stored nowhere in readable form.
import { openDatabase, sql } from "@clawcloud/db";
import type { TestDatabase } from "./database.ts";

export async function dumpDatabase(tdb: TestDatabase): Promise<string> {
  const database = await openDatabase({ url: tdb.databaseUrl, dataDir: tdb.dataDir });
  try {
    const tables = await database.db.execute<{ schema: string; name: string }>(
      sql`select table_schema as schema, table_name as name from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const out: string[] = [];
    for (const t of tables.rows) {
      const rows = await database.db.execute<{ row: string }>(
        sql`select row_to_json(x)::text as row from ${sql.identifier(t.schema)}.${sql.identifier(t.name)} x`,
      );
      for (const r of rows.rows) out.push(`${t.schema}.${t.name} ${r.row}`);
    }
    return out.join("\n");
  } finally {
    await database.close();
  }
}

/**
 * The forms a leaked secret could take: as is, hex, and base64/base64url at each of the three
 * byte alignments it could have inside a longer encoded value (the edges, which depend on the
 * neighbouring bytes, are cut off).
 */
export function encodings(secret: string): string[] {
  const b = Buffer.from(secret, "utf8");
  const forms = [secret, b.toString("hex")];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), b]);
    for (const enc of ["base64", "base64url"] as const) {
      const text = padded.toString(enc).replace(/=+$/, "");
      forms.push(text.slice(Math.ceil((offset * 4) / 3) + 1, -2));
    }
  }
  return forms;
}
