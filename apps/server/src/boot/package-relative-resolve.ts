// A module resolve hook for start-up time: a relative `.js` import from one file of an installed
// ES-module package to another file of the same package resolves to that file as an ES module,
// without Node's package-scope lookup.
//
// Why: Node 24's lookup (getPackageScopeConfig, run once per loaded file to learn its format)
// spreads the package.json it found into a new object, and the spread calls the lazy `exports`
// getter, which parses the whole exports map again. drizzle-orm's map is 130 KB and the server
// loads 107 of its files: 14 MB of JSON parsed, about 0.3 s of the server's 2 s start-up on this
// machine (bench/startup.ts; the compile cache in main.ts saves another 0.2 s). What Node would decide is decided here from the same facts: the
// package's own package.json says "type": "module", and no nested package.json lies between it
// and the file (one would set its own type). Anything else goes to Node's resolver unchanged.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { registerHooks } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The installed package a file belongs to: `…/node_modules/<name>` or `…/node_modules/@scope/<name>`. */
const PACKAGE_ROOT = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/;

const esmPackages = new Map<string, boolean>();
const hasPackageJson = new Map<string, boolean>();

function isEsmPackage(root: string): boolean {
  let esm = esmPackages.get(root);
  if (esm === undefined) {
    try {
      esm = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { type?: unknown }).type === "module";
    } catch {
      esm = false;
    }
    esmPackages.set(root, esm);
  }
  return esm;
}

/** True when a package.json sits in a folder between the package root (excluded) and the file. */
function nestedPackageJson(root: string, file: string): boolean {
  for (let dir = dirname(file); dir.length > root.length; dir = dirname(dir)) {
    let found = hasPackageJson.get(dir);
    if (found === undefined) {
      found = existsSync(join(dir, "package.json"));
      hasPackageJson.set(dir, found);
    }
    if (found) return true;
  }
  return false;
}

/** The file URL a specifier resolves to as an ES module of the same package, or undefined to let Node decide. */
export function resolveWithinPackage(specifier: string, parentURL: string | undefined): string | undefined {
  if (!parentURL?.startsWith("file:") || !specifier.endsWith(".js")) return undefined;
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const parent = fileURLToPath(parentURL);
  const root = PACKAGE_ROOT.exec(parent)?.[1];
  if (!root || !isEsmPackage(root)) return undefined;
  let file: string;
  try {
    // As Node's resolver does: the real path, and a missing file is Node's to report.
    file = realpathSync(fileURLToPath(new URL(specifier, parentURL)));
  } catch {
    return undefined;
  }
  if (!file.startsWith(root + sep) || file.includes(`${sep}node_modules${sep}`, root.length)) return undefined;
  if (nestedPackageJson(root, file)) return undefined;
  return pathToFileURL(file).href;
}

export function registerPackageRelativeResolve(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const url = resolveWithinPackage(specifier, context.parentURL);
      return url ? { url, format: "module", shortCircuit: true } : nextResolve(specifier, context);
    },
  });
}
