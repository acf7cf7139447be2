// The cloud SDKs (AWS, Azure, GCP: about 135 MB of heap) load only when their driver is first
// used: importing the package, or creating a driver, loads none of them.
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const SDK = /\/node_modules\/(@google-cloud|@aws-sdk|@azure|google-auth-library|@smithy)\//;

describe("cloud SDKs load lazily", () => {
  it("neither importing @clawcloud/providers nor creating its drivers loads a cloud SDK", () => {
    const index = pathToFileURL(new URL("../src/index.ts", import.meta.url).pathname).href;
    const script = `
      import { registerHooks } from "node:module";
      const loaded = [];
      registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.push(r.url); return r; } });
      const { createDriver } = await import(${JSON.stringify(index)});
      const drivers = ["aws", "azure", "gcp"].map((p) => createDriver(p, { credentials: {} }));
      console.log(JSON.stringify({ ids: drivers.map((d) => d.id), loaded }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as {
      ids: string[];
      loaded: string[];
    };
    expect(out.ids).toEqual(["aws", "azure", "gcp"]);
    // The hook sees the package's own modules, so an empty SDK list is not an empty recording.
    expect(out.loaded.some((u) => u.endsWith("/digitalocean/driver.ts"))).toBe(true);
    expect(out.loaded.filter((u) => SDK.test(u))).toEqual([]);
  });
});
