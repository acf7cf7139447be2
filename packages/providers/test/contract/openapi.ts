// Checks exchanges (a request and its answer) against a provider's official OpenAPI 3.0
// description: the operation must exist, path and query parameters must be declared and valid, the
// JSON body must validate against the request schema, and the answer against the response schema of
// its status. On top of JSON Schema, fields a schema does not declare are errors ("strict"): most
// provider schemas allow extra properties, and a misspelt field would otherwise pass silently.
//
// JSON Schema validation is ajv (draft-07 with OpenAPI 3.0's `nullable` rewritten to a type union);
// the path matcher and the strict-field walk are ours. The descriptions are read from
// `<repo>/../shared/specs` and never copied into the repository.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse as parseYaml } from "yaml";
import type { SimExchange } from "../simulator/types.ts";

// ajv-formats is CommonJS: its default export arrives wrapped under type stripping.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/**
 * `<repo>/../shared/specs`, where CI puts the providers' descriptions (or CLAWCLOUD_SPECS_DIR, for
 * a clone that lives elsewhere, e.g. a git worktree); undefined when absent.
 */
export function specsDir(): string | undefined {
  const dir = process.env.CLAWCLOUD_SPECS_DIR ?? path.join(REPO_ROOT, "..", "shared", "specs");
  return existsSync(dir) ? dir : undefined;
}

export const SPECS_MISSING = `Contract tests skipped: the providers' API descriptions were not found at ${path.join(REPO_ROOT, "..", "shared", "specs")} (CI puts shared/ beside the clone).`;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** OpenAPI 3.0 Schema Objects → JSON Schema ajv understands (`nullable`, boolean exclusive bounds). */
function convert(node: Json): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "example" || k === "examples" || k === "discriminator" || k === "xml") {
      out[k] = v; // annotations: kept as data, ignored by ajv (strict: false)
      continue;
    }
    out[k] = convert(v);
  }
  if (out.exclusiveMinimum === true && typeof out.minimum === "number") {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  } else if (out.exclusiveMinimum === false) delete out.exclusiveMinimum;
  if (out.exclusiveMaximum === true && typeof out.maximum === "number") {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  } else if (out.exclusiveMaximum === false) delete out.exclusiveMaximum;
  if (out.nullable === true) {
    const { nullable: _n, ...rest } = out;
    return { anyOf: [rest, { type: "null" }] };
  }
  return out;
}

function collectFormats(node: Json, out: Set<string>): void {
  if (Array.isArray(node)) for (const x of node) collectFormats(x, out);
  else if (isObj(node)) {
    if (typeof node.format === "string") out.add(node.format);
    for (const v of Object.values(node)) collectFormats(v, out);
  }
}

interface Operation {
  method: string;
  template: string;
  re: RegExp;
  names: string[];
  pointer: string;
  op: Obj;
  pathItem: Obj;
}

export interface ContractValidator {
  /** Problems found in the exchanges; empty when every one matches the description. */
  check(exchanges: readonly SimExchange[]): string[];
  /** The operation a request maps to, with its declared security scopes. */
  operation(method: string, rawPath: string): { id: string; template: string; scopes: string[] } | undefined;
}

export function loadContract(file: string): ContractValidator {
  const text = readFileSync(file, "utf8");
  const raw = (file.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 })) as Obj;
  const doc = convert(raw) as Obj;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateSchema: false, logger: false });
  addFormats(ajv);
  const formats = new Set<string>();
  collectFormats(doc, formats);
  // Formats ajv-formats does not define (DigitalOcean's "uint64", Hetzner's "decimal"…) are
  // annotations here; known ones (date-time, ipv4, uuid, int32…) are checked.
  const known = new Set(Object.keys((ajv as unknown as { formats: Record<string, unknown> }).formats));
  for (const f of formats) if (!known.has(f)) ajv.addFormat(f, f === "decimal" ? /^-?\d+(\.\d+)?$/ : true);
  ajv.addSchema(doc as object, "spec");

  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const firstServer = isObj(servers[0]) && typeof servers[0].url === "string" ? servers[0].url : "/";
  const basePath = new URL(firstServer).pathname.replace(/\/$/, "");

  const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
  const resolve = (node: Json): Json => {
    let n = node;
    for (let i = 0; i < 20 && isObj(n) && typeof n.$ref === "string"; i++) {
      const ref: string = n.$ref;
      n = ref
        .replace(/^#\//, "")
        .split("/")
        .map((x) => x.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce<Json>((o, k) => (isObj(o) ? (o[k] ?? null) : null), doc);
    }
    return n;
  };

  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
    if (!isObj(item)) continue;
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const op = item[method];
      if (!isObj(op)) continue;
      const names: string[] = [];
      const re = new RegExp(
        `^${template
          .replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === "{" || c === "}" ? c : `\\${c}`))
          .replace(/\{([^}]+)\}/g, (_, n: string) => {
            names.push(n);
            return "([^/]+)";
          })}$`,
      );
      ops.push({ method: method.toUpperCase(), template, re, names, pointer: `#/paths/${esc(template)}/${method}`, op, pathItem: item });
    }
  }
  // Literal paths before templated ones: /v2/account/keys is not /v2/account/{x}.
  ops.sort((a, b) => a.names.length - b.names.length);

  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string): ValidateFunction => {
    let v = compiled.get(pointer);
    if (!v) {
      v = ajv.compile({ $ref: `spec${pointer}` });
      compiled.set(pointer, v);
    }
    return v;
  };
  const errorsOf = (v: ValidateFunction) =>
    (v.errors ?? [])
      .slice(0, 6)
      .map(
        (e) =>
          `${e.instancePath || "(root)"} ${e.message ?? ""}${e.params && "allowedValues" in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ""}`,
      )
      .join("; ");

  /** Fields the schema does not declare (union over allOf/oneOf/anyOf branches). */
  function undeclared(value: unknown, schemas: Json[], at: string, out: string[], depth = 0): void {
    if (depth > 40) return;
    const leaves: Obj[] = [];
    const seen = new Set<Json>();
    const flatten = (s: Json) => {
      const r = resolve(s);
      if (!isObj(r) || seen.has(r)) return;
      seen.add(r);
      leaves.push(r);
      for (const k of ["allOf", "oneOf", "anyOf"]) {
        const list = r[k];
        if (Array.isArray(list)) for (const x of list) flatten(x);
      }
    };
    for (const s of schemas) flatten(s);
    if (Array.isArray(value)) {
      const items = leaves.map((l) => l.items).filter((x): x is Json => x !== undefined && x !== null);
      if (items.length) {
        value.forEach((el, i) => {
          undeclared(el, items, `${at}[${i}]`, out, depth + 1);
        });
      }
      return;
    }
    if (!isObj(value as Json)) return;
    const described = leaves.filter((l) => isObj(l.properties) || l.additionalProperties !== undefined);
    if (described.length === 0) return; // a free-form object
    const maps = leaves.map((l) => l.additionalProperties).filter((x): x is Json => x === true || isObj(x));
    for (const [key, v] of Object.entries(value as Obj)) {
      const cands = leaves.map((l) => (isObj(l.properties) ? l.properties[key] : undefined)).filter((x): x is Json => x !== undefined);
      if (cands.length) undeclared(v, cands, `${at}.${key}`, out, depth + 1);
      else if (maps.length) undeclared(v, maps.filter(isObj), `${at}.${key}`, out, depth + 1);
      else out.push(`${at}.${key} is not in the description`);
    }
  }

  function find(method: string, rawPath: string) {
    const p = basePath && rawPath.startsWith(basePath) ? rawPath.slice(basePath.length) : rawPath;
    for (const o of ops) {
      if (o.method !== method) continue;
      const m = o.re.exec(p);
      if (m) return { o, values: o.names.map((_, i) => decodeURIComponent(m[i + 1] ?? "")) };
    }
    return undefined;
  }

  function coerce(value: string, schema: Json): unknown {
    const s = resolve(schema);
    const type = isObj(s) ? s.type : undefined;
    if (type === "integer" || type === "number") return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
    if (isObj(s) && Array.isArray(s.anyOf)) {
      // e.g. DigitalOcean's ssh_key_identifier: integer id or fingerprint
      const asInt = /^\d+$/.test(value) && s.anyOf.some((b) => isObj(resolve(b)) && (resolve(b) as Obj).type === "integer");
      return asInt ? Number(value) : value;
    }
    return value;
  }

  function checkOne(ex: SimExchange): string[] {
    const where = `${ex.method} ${ex.rawPath}`;
    const found = find(ex.method, ex.rawPath);
    if (!found) return [`${where}: no such operation in the description`];
    const { o, values } = found;
    const problems: string[] = [];
    const params = [
      ...(Array.isArray(o.pathItem.parameters) ? o.pathItem.parameters : []),
      ...(Array.isArray(o.op.parameters) ? o.op.parameters : []),
    ]
      .map((p, i) => ({ p: resolve(p), i, src: p }))
      .filter((x): x is { p: Obj; i: number; src: Json } => isObj(x.p));
    const paramPointer = (x: { p: Obj; src: Json }, fallback: string) => {
      if (isObj(x.src) && typeof x.src.$ref === "string") return `${x.src.$ref}/schema`;
      return fallback;
    };
    params.forEach((x, idx) => {
      const inPathItem = idx < (Array.isArray(o.pathItem.parameters) ? o.pathItem.parameters.length : 0);
      const local = inPathItem
        ? `${o.pointer.slice(0, o.pointer.lastIndexOf("/"))}/parameters/${idx}/schema`
        : `${o.pointer}/parameters/${idx - (Array.isArray(o.pathItem.parameters) ? o.pathItem.parameters.length : 0)}/schema`;
      const ptr = paramPointer(x, local);
      const check = (raw: string) => {
        const v = validator(ptr);
        if (!v(coerce(raw, x.p.schema ?? null))) problems.push(`${where}: ${x.p.in} parameter ${String(x.p.name)}=${raw}: ${errorsOf(v)}`);
      };
      if (x.p.in === "path") {
        const i = o.names.indexOf(String(x.p.name));
        if (i >= 0) check(values[i] ?? "");
      } else if (x.p.in === "query") {
        const got = ex.query[String(x.p.name)];
        if (!got && x.p.required === true) problems.push(`${where}: required query parameter ${String(x.p.name)} missing`);
        for (const g of got ?? []) check(g);
      }
    });
    const declaredQuery = new Set(params.filter((x) => x.p.in === "query").map((x) => String(x.p.name)));
    for (const k of Object.keys(ex.query))
      if (!declaredQuery.has(k)) problems.push(`${where}: query parameter ${k} is not in the description`);

    const rb = resolve(o.op.requestBody ?? null);
    const reqSchema =
      isObj(rb) && isObj(rb.content) && isObj(rb.content["application/json"]) ? rb.content["application/json"].schema : undefined;
    if (ex.body !== undefined) {
      if (reqSchema === undefined) problems.push(`${where}: sends a body, but the operation takes none`);
      else {
        const ptr =
          isObj(o.op.requestBody) && typeof o.op.requestBody.$ref === "string"
            ? `${o.op.requestBody.$ref}/content/application~1json/schema`
            : `${o.pointer}/requestBody/content/application~1json/schema`;
        const v = validator(ptr);
        if (!v(ex.body)) problems.push(`${where}: request body: ${errorsOf(v)}`);
        const extra: string[] = [];
        undeclared(ex.body, [reqSchema], "body", extra);
        for (const e of extra) problems.push(`${where}: request ${e}`);
      }
    } else if (isObj(rb) && rb.required === true) problems.push(`${where}: the request body is required`);

    if (ex.status === undefined) return problems;
    const responses = isObj(o.op.responses) ? o.op.responses : {};
    const code = String(ex.status);
    const key = [code, `${code[0]}XX`, `${code[0]}xx`, "default"].find((k) => k in responses);
    // Error answers the description leaves out (Vultr describes no 401 on /account, and its
    // 4xx responses have no body schema) cannot be checked; success answers must be described.
    const isError = ex.status >= 400;
    if (!key) {
      if (!ex.fault && !isError) problems.push(`${where}: status ${code} is not described`);
      return problems;
    }
    const resp = resolve(responses[key] ?? null);
    const respPtr =
      isObj(responses[key]) && typeof (responses[key] as Obj).$ref === "string"
        ? ((responses[key] as Obj).$ref as string)
        : `${o.pointer}/responses/${esc(key)}`;
    const schema =
      isObj(resp) && isObj(resp.content) && isObj(resp.content["application/json"]) ? resp.content["application/json"].schema : undefined;
    if (schema === undefined) {
      if (ex.responseBody !== undefined && !isError && !ex.fault)
        problems.push(`${where}: answers ${code} with a body the description does not have`);
      return problems;
    }
    if (ex.responseBody === undefined) {
      problems.push(`${where}: answers ${code} without the body the description has`);
      return problems;
    }
    const v = validator(`${respPtr}/content/application~1json/schema`);
    if (!v(ex.responseBody)) problems.push(`${where}: response ${code}: ${errorsOf(v)}`);
    const extra: string[] = [];
    undeclared(ex.responseBody, [schema], "response", extra);
    for (const e of extra) problems.push(`${where}: ${code} ${e}`);
    return problems;
  }

  return {
    check: (exchanges) => exchanges.flatMap(checkOne),
    operation(method, rawPath) {
      const f = find(method, rawPath);
      if (!f) return undefined;
      const sec = Array.isArray(f.o.op.security) ? f.o.op.security : Array.isArray(doc.security) ? doc.security : [];
      const scopes = sec.flatMap((s) => (isObj(s) ? Object.values(s).flatMap((v) => (Array.isArray(v) ? v.map(String) : [])) : []));
      return { id: String(f.o.op.operationId ?? `${f.o.method} ${f.o.template}`), template: f.o.template, scopes };
    },
  };
}
