// `npm start`: the process's entry. Two things come before any other module loads: Node's compile
// cache (V8's code for each module, kept under the OS temp folder and checked against the source,
// so a restart skips compiling) and the package-relative resolve hook
// (boot/package-relative-resolve.ts). Then the server itself (run.ts).
import { enableCompileCache } from "node:module";
import { registerPackageRelativeResolve } from "./boot/package-relative-resolve.ts";

enableCompileCache();
registerPackageRelativeResolve();
await import("./run.ts");
