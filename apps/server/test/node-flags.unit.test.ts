// `npm start` runs the server with the flags the tests and benchmarks use, and this Node accepts them.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "../src/node-flags.ts";

const scripts = (
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "..", "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

describe("the server's Node flags", () => {
  it.each(["start", "dev"])("npm run %s passes them to node", (name) => {
    const command = /\bnode ((?:--\S+ )*)apps\/server\/src\/main\.ts/.exec(scripts[name] ?? "");
    expect(command, scripts[name]).not.toBeNull();
    expect(command?.[1]?.split(" ").filter(Boolean)).toEqual(expect.arrayContaining([...SERVER_NODE_FLAGS]));
  });

  it("this Node accepts them and V8 keeps the young generation that small", () => {
    // Enough short-lived allocation that V8 would grow the young generation to its default maximum.
    const script =
      "const v8=require('v8');const keep=[];for(let i=0;i<4e6;i++){const o={a:i,b:[i]};if(i%20===0)keep.push(o);if(keep.length>5e4)keep.length=0}" +
      "console.log(v8.getHeapSpaceStatistics().find((s)=>s.space_name==='new_space').space_size)";
    const newSpace = Number(execFileSync(process.execPath, [...SERVER_NODE_FLAGS, "-e", script], { encoding: "utf8" }).trim());
    expect(newSpace).toBeGreaterThan(0);
    expect(newSpace).toBeLessThanOrEqual(2 * 8 * 2 ** 20);
  });
});
