// The workspace's audit log as CSV (the same filters as the list). Cells a spreadsheet would run
// as a formula (= + - @, tab, carriage return first) get a leading apostrophe: CSV injection.
import type { AuditEntry } from "@clawcloud/contracts";
import type { Db } from "@clawcloud/db";
import type { Actor } from "../actor.ts";
import { listAudit } from "./list-audit.ts";

/** An export stops here; narrow the date range for more. */
export const CSV_MAX_ROWS = 10_000;

const HEADER = ["time", "action", "actor_type", "actor_id", "actor_email", "target_type", "target_id", "ip", "details", "id"];

export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replaceAll('"', '""')}"`;
}

function csvRow(e: AuditEntry): string {
  return [
    e.createdAt,
    e.action,
    e.actor.type,
    e.actor.id,
    e.actor.email,
    e.target?.type,
    e.target?.id,
    e.ip,
    JSON.stringify(e.metadata),
    e.id,
  ]
    .map(csvCell)
    .join(",");
}

export async function exportAuditCsv(db: Db, actor: Actor, query: Record<string, unknown>): Promise<string> {
  const lines = [HEADER.map(csvCell).join(",")];
  let cursor: string | undefined;
  let rows = 0;
  do {
    const page = await listAudit(db, actor, { ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    for (const e of page.items) lines.push(csvRow(e));
    rows += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows < CSV_MAX_ROWS);
  return `${lines.join("\r\n")}\r\n`;
}
