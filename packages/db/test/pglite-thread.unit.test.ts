// PGlite on its own thread: statements run there, not on the event loop, with PGlite's own
// semantics for results, errors, transactions and LISTEN/NOTIFY.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteThread } from "../src/pglite-thread.ts";

describe("PgliteThread", () => {
  let dir: string;
  let pg: PgliteThread;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cc-pglite-thread-"));
    pg = await PgliteThread.open(join(dir, "db"));
    await pg.exec("create table items (id int primary key, name text not null, at timestamptz not null default now())");
  });

  afterAll(async () => {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a statement on its own thread: the event loop keeps turning while it runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    // On the calling thread this would hold the event loop for the whole 300 ms (no tick at all).
    await pg.query("select pg_sleep(0.3)");
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it("returns rows as objects or arrays, and keeps the text of the types asked for", async () => {
    await pg.query("insert into items (id, name) values ($1, $2)", [1, "one"]);
    const asObjects = await pg.query<{ id: number; name: string; at: unknown }>("select id, name, at from items where id = $1", [1]);
    expect(asObjects.rows[0]).toMatchObject({ id: 1, name: "one" });
    expect(asObjects.rows[0]?.at).toBeInstanceOf(Date);
    const keep = (value: string) => value;
    const asArrays = await pg.query<unknown[]>("select id, at from items", [], { rowMode: "array", parsers: { 1184: keep } });
    expect(asArrays.rows[0]?.[0]).toBe(1);
    expect(typeof asArrays.rows[0]?.[1]).toBe("string");
    expect(asArrays.fields.map((f) => f.name)).toEqual(["id", "at"]);
  });

  it("refuses a parser that would change the text (it cannot cross threads)", async () => {
    expect(() => pg.query("select now()", [], { parsers: { 1184: (v) => new Date(v) } })).toThrow(/must keep the text/);
  });

  it("reports PostgreSQL's error fields, without the statement's parameters", async () => {
    const canary = "canary-8f3a1c0e-secret";
    const err = (await pg.query("insert into items (id, name) values ($1, $2)", [1, canary]).catch((e: unknown) => e)) as Record<
      string,
      unknown
    >;
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: "23505", constraint: "items_pkey" });
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(canary);
  });

  it("commits a transaction that returns, rolls back one that throws or asks to", async () => {
    await pg.transaction(async (tx) => {
      await tx.query("insert into items (id, name) values (10, 'kept')");
    });
    await expect(
      pg.transaction(async (tx) => {
        await tx.query("insert into items (id, name) values (11, 'thrown away')");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await pg.transaction(async (tx) => {
      await tx.query("insert into items (id, name) values (12, 'rolled back')");
      await tx.rollback();
      expect(tx.closed).toBe(true);
    });
    const ids = (await pg.query<{ id: number }>("select id from items where id >= 10 order by id")).rows.map((r) => r.id);
    expect(ids).toEqual([10]);
  });

  it("holds other statements until a transaction ends, as PGlite does", async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const inTx = pg.transaction(async (tx) => {
      await tx.query("insert into items (id, name) values (20, 'in transaction')");
      order.push("tx wrote");
      await held;
      order.push("tx ends");
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = pg.query<{ n: number }>("select count(*)::int as n from items where id = 20").then((r) => {
      order.push("outside read");
      return r.rows[0]?.n;
    });
    await new Promise((r) => setTimeout(r, 50));
    release();
    await inTx;
    expect(await outside).toBe(1);
    expect(order).toEqual(["tx wrote", "tx ends", "outside read"]);
  });

  it("delivers NOTIFY to a listener until it unlistens", async () => {
    const heard: string[] = [];
    const unlisten = await pg.listen("news", (payload) => heard.push(payload));
    await pg.query("select pg_notify('news', 'first')");
    await expect.poll(() => heard).toEqual(["first"]);
    await unlisten();
    await pg.query("select pg_notify('news', 'second')");
    await pg.query("select 1");
    expect(heard).toEqual(["first"]);
  });

  it("refuses to open what is not a database, and answers nothing once closed", async () => {
    const notADir = join(dir, "a-file");
    writeFileSync(notADir, "not a database");
    await expect(PgliteThread.open(notADir)).rejects.toThrow();

    const other = await PgliteThread.open(join(dir, "other"));
    await other.close();
    await expect(other.query("select 1")).rejects.toThrow(/stopped/);
  });
});
