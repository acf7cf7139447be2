import { describe, expect, it } from "vitest";
import { z } from "zod";
import { newId } from "../src/ids.ts";
import { describeIssues } from "../src/validate.ts";

describe("ids", () => {
  it("are prefixed and sort by creation", () => {
    const ids = Array.from({ length: 1000 }, () => newId("instance"));
    for (const id of ids) expect(id).toMatch(/^ins_[0-9a-z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("describeIssues", () => {
  it("says which field is wrong and why, in one line", () => {
    const r = z
      .strictObject({ name: z.string().max(3, "Use at most 3 characters"), n: z.number() })
      .safeParse({ name: "long", n: "x", extra: 1 });
    if (r.success) throw new Error("should fail");
    const msg = describeIssues(r.error.issues);
    expect(msg).toContain("name: Use at most 3 characters");
    expect(msg).toContain("n: Invalid input: expected number, received string");
    expect(msg).toContain('unknown field "extra"');
  });
});
