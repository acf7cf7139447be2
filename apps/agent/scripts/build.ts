// Bundles the agent into ONE self-contained file, dist/clawcloud-agent.js, plus its sha256 (hex)
// in dist/clawcloud-agent.js.sha256. The server serves both; cloud-init checks the hash before
// running the file. The build is deterministic: same sources and lockfile → same bytes.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

export const AGENT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE_NAME = "clawcloud-agent.js";

const builtins = new Set(builtinModules);

// zod re-exports every translation of its error messages as `z.locales` (≈250 KiB minified). The
// agent never switches locale (English is registered directly by zod's schemas module), so the
// bundle gets an empty `locales` namespace instead.
const withoutZodLocales: Plugin = {
  name: "without-zod-locales",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: "export {};", loader: "js" }));
  },
};

// ws tries `require("bufferutil")` / `require("utf-8-validate")` (optional native speed-ups) and
// falls back to JavaScript when they are missing. Replace them with a module that throws, so the
// bundle never loads code from outside the verified file; fail the build on any other
// non-builtin import that esbuild could not bundle.
const selfContained: Plugin = {
  name: "self-contained",
  setup(b) {
    b.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (args) => ({ path: args.path, namespace: "absent" }));
    b.onLoad({ filter: /.*/, namespace: "absent" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled`)});`,
      loader: "js",
    }));
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const bare = args.path.replace(/^node:/, "");
      if (builtins.has(bare) || builtins.has(bare.split("/")[0] ?? "")) return { path: args.path, external: true };
      return undefined;
    });
  },
};

export async function buildAgent(
  outDir = join(AGENT_ROOT, "dist"),
  opts: { version?: string } = {},
): Promise<{ file: string; sha256: string; bytes: number; version: string }> {
  const version = opts.version ?? (JSON.parse(await readFile(join(AGENT_ROOT, "package.json"), "utf8")) as { version: string }).version;
  const result = await build({
    absWorkingDir: AGENT_ROOT,
    entryPoints: ["src/main.ts"],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    // ESM has no `require`; bundled CommonJS (ws) needs one for node: builtins.
    banner: {
      // The version line is how the server learns which version it serves (bundleVersion()).
      js: `// clawcloud-agent ${version}\nimport { createRequire as __agentCreateRequire } from "node:module";\nconst require = __agentCreateRequire(import.meta.url);`,
    },
    define: { __CLAWCLOUD_AGENT_VERSION__: JSON.stringify(version) },
    minify: true,
    legalComments: "eof",
    charset: "utf8",
    write: false,
    metafile: false,
    logLevel: "warning",
    plugins: [selfContained, withoutZodLocales],
  });
  const output = result.outputFiles[0];
  if (!output || result.outputFiles.length !== 1) throw new Error("expected exactly one output file");
  const sha256 = createHash("sha256").update(output.contents).digest("hex");
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, BUNDLE_NAME);
  await writeFile(file, output.contents, { mode: 0o644 });
  await writeFile(`${file}.sha256`, sha256);
  return { file, sha256, bytes: output.contents.length, version };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { file, sha256, bytes } = await buildAgent(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stdout.write(`${file} ${(bytes / 1024).toFixed(1)} KiB sha256 ${sha256}\n`);
}
