import { describe, expect, it } from "vitest";
import { createLogger } from "../src/log.ts";

describe("log", () => {
  const capture = () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), now: () => new Date(0) });
    return { lines, log };
  };

  it("writes one JSON line per event", () => {
    const { lines, log } = capture();
    log.info("hello", { n: 1 });
    log.debug("hidden");
    expect(lines).toEqual([`${JSON.stringify({ time: "1970-01-01T00:00:00.000Z", level: "info", msg: "hello", n: 1 })}\n`]);
  });

  it("redacts registered secrets anywhere and secret-looking fields always", () => {
    const { lines, log } = capture();
    const credential = "cred-0123456789abcdef";
    log.addSecret(credential);
    log.addSecret("short"); // too short to be a real secret; would mangle ordinary words
    log.warn(`failed with ${credential}`, {
      nested: { deep: [`x${credential}y`] },
      token: "anything",
      gatewayToken: "anything",
      headers: { Authorization: "Bearer z" },
      error: new Error(`boom ${credential}`),
      note: "short words stay",
    });
    const line = lines.join("");
    expect(line).not.toContain(credential);
    expect(line).not.toContain("anything");
    expect(line).not.toContain("Bearer z");
    expect(JSON.parse(line)).toMatchObject({
      msg: "failed with [redacted]",
      nested: { deep: ["x[redacted]y"] },
      token: "[redacted]",
      error: { name: "Error", message: "boom [redacted]" },
      note: "short words stay",
    });
    expect(log.redact(`a ${credential} b`)).toBe("a [redacted] b");
  });
});
