import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CommandError, createDispatcher, defineCommand } from "../src/commands/index.ts";
import { createLogger } from "../src/log.ts";

describe("command dispatcher", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l) });
  const ctx = { log, signal: new AbortController().signal };

  it("takes new commands with their own argument schema", async () => {
    let runs = 0;
    const echo = defineCommand({
      name: "echo",
      args: z.strictObject({ text: z.string().max(10) }),
      run: async ({ text }) => {
        runs++;
        return { text };
      },
    });
    const d = createDispatcher([echo]);
    expect(await d.dispatch({ id: "1", name: "echo", args: { text: "hi" } }, ctx)).toEqual({
      type: "result",
      id: "1",
      ok: true,
      data: { text: "hi" },
    });
    expect(await d.dispatch({ id: "2", name: "echo", args: { text: 5 } }, ctx)).toMatchObject({
      ok: false,
      error: { code: "INVALID_ARGS" },
    });
    expect(await d.dispatch({ id: "3", name: "ping", args: {} }, ctx)).toMatchObject({ ok: false, error: { code: "UNKNOWN_COMMAND" } });
    // The same id twice (a retry after a reconnect) runs once.
    await Promise.all([
      d.dispatch({ id: "4", name: "echo", args: { text: "a" } }, ctx),
      d.dispatch({ id: "4", name: "echo", args: { text: "a" } }, ctx),
    ]);
    await d.dispatch({ id: "4", name: "echo", args: { text: "a" } }, ctx);
    expect(runs).toBe(2);
  });

  it("turns failures into coded results, without leaking secrets", async () => {
    log.addSecret("gateway-token-0123456789");
    const d = createDispatcher([
      defineCommand({
        name: "coded",
        args: z.object({}),
        run: async () => {
          throw new CommandError("BACKUP_FAILED", "no space left");
        },
      }),
      defineCommand({
        name: "crash",
        args: z.object({}),
        run: async () => {
          throw new Error("could not reach http://127.0.0.1:18789 with gateway-token-0123456789");
        },
      }),
      defineCommand({ name: "weird", args: z.object({}), run: async () => ({ big: 1n }) }),
    ]);
    expect(await d.dispatch({ id: "a", name: "coded", args: {} }, ctx)).toEqual({
      type: "result",
      id: "a",
      ok: false,
      error: { code: "BACKUP_FAILED", message: "no space left" },
    });
    const crash = await d.dispatch({ id: "b", name: "crash", args: {} }, ctx);
    expect(crash).toMatchObject({ ok: false, error: { code: "COMMAND_FAILED" } });
    expect(JSON.stringify(crash)).not.toContain("gateway-token-0123456789");
    expect(await d.dispatch({ id: "c", name: "weird", args: {} }, ctx)).toMatchObject({ ok: false });
    expect(lines.join("")).not.toContain("gateway-token-0123456789");
  });
});
