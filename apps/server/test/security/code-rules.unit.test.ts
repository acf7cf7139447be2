// Two code rules, checked over every source file: no child process is started through a shell
// string, and every SQL statement is parameterised. The lint rule (biome.json) catches the
// named imports; this scan catches what a lint rule on imports cannot (a namespace import, a
// `shell: true` option, raw SQL built from strings).
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..", "..");
const biome = join(root, "node_modules", ".bin", "biome");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const srcDirs = ["apps", "packages"].flatMap((top) =>
  readdirSync(join(root, top))
    .map((pkg) => join(root, top, pkg, "src"))
    .filter((d) => statSync(d, { throwIfNoEntry: false })?.isDirectory()),
);
const files = srcDirs.flatMap(sources).map((path) => ({ path: relative(root, path), text: readFileSync(path, "utf8") }));

/** A rule: a pattern no source file may contain, and why. */
const RULES: { name: string; re: RegExp }[] = [
  {
    name: "namespace or default import of child_process (would allow exec)",
    re: /import\s+(\*\s+as\s+)?\w+\s+from\s+["'](node:)?child_process["']/,
  },
  { name: "a child process through a shell", re: /\bshell\s*:\s*(true|["'`])/ },
  // Not a method of that name declared with typed parameters (PGlite's exec, which drizzle calls).
  { name: "execSync/exec call", re: /(^|[^.\w])exec(Sync)?\s*\((?!\s*\w+\??\s*:)/m },
  { name: "sql.raw with anything but a string literal", re: /sql\.raw\(\s*(?!["'][^"'$]*["']\s*\))/ },
  { name: "a query built from a template string", re: /\.(query|execute|unsafe)\(\s*`[^`]*\$\{/ },
  { name: "a query built by concatenation", re: /\.(query|execute|unsafe)\(\s*("[^"]*"|'[^']*')\s*\+/ },
  { name: "execute() with a plain string instead of the sql`` tag", re: /\.execute\(\s*["'`]/ },
];

/** Writes a template placeholder without one in this file's own strings. */
const tpl = (s: string) => s.replaceAll("#{", "${");

describe("code rules", () => {
  it("scans a real set of files", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  for (const rule of RULES) {
    it(`no ${rule.name}`, () => {
      const hits = files.filter((f) => rule.re.test(f.text)).map((f) => f.path);
      expect(hits).toEqual([]);
    });
  }

  it("the rules catch what they are for", () => {
    const bad = [
      'import * as cp from "node:child_process";',
      'spawn("sh", ["-c", x], { shell: true })',
      tpl("exec(`ls #{dir}`)"),
      "exec(a ? b : c)",
      "db.execute(sql.raw(userInput))",
      tpl("client.query(`select * from t where id = #{id}`)"),
      'client.query("select * from t where id = \'" + id',
      'db.execute("delete from t")',
    ];
    for (const rule of RULES)
      expect(
        bad.some((b) => rule.re.test(b)),
        rule.name,
      ).toBe(true);
    // And they leave the safe forms alone.
    const good = [
      'execFile("git", ["status"])',
      tpl("db.execute(sql`select #{id}`)"),
      'sql.raw("now()")',
      'spawn("node", args, { shell: false })',
      "re.exec(s)",
      "  exec(sql: string, options?: QueryOptions): Promise<Results[]> {",
    ];
    for (const rule of RULES) for (const g of good) expect(rule.re.test(g), `${rule.name}: ${g}`).toBe(false);
  });

  it("biome refuses exec and execSync from child_process in server and core code", async () => {
    for (const path of ["apps/server/src/probe.ts", "packages/core/src/probe.ts"]) {
      const out = await lintAs(path, 'import { exec } from "node:child_process";\nexec("ls");\n');
      expect(out, path).toMatch(/exec runs a shell string/);
      const outSync = await lintAs(path, 'import { execSync } from "child_process";\nexecSync("ls");\n');
      expect(outSync, path).toMatch(/exec runs a shell string/);
      expect(await lintAs(path, 'import { execFile } from "node:child_process";\nexecFile("ls", []);\n'), path).not.toMatch(/shell string/);
    }
  }, 30_000);
});

/** Lints `code` as a file at `path` (biome's stdin mode reports no diagnostics): a probe file, removed after. */
async function lintAs(path: string, code: string): Promise<string> {
  const probe = path.replace(/probe\.ts$/, `zz-lint-probe-${process.pid}.ts`);
  writeFileSync(join(root, probe), code);
  try {
    return await new Promise((resolve) => {
      execFile(biome, ["lint", probe], { cwd: root, encoding: "utf8" }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`));
    });
  } finally {
    rmSync(join(root, probe), { force: true });
  }
}
