// Validation of EC2 Query requests and XML responses against the botocore model of EC2
// (../shared/specs/aws-ec2.botocore-model.json, read in place, never copied into the repo).
//
// Requests, with botocore's EC2 serializer rules: a member is sent as its `queryName`, else its
// `locationName` with the first letter upper-cased, else its member name; lists are flattened as
// `Name.1`, `Name.2` (no `.member.`); structures as `Name.Member`; booleans "true"/"false".
// Responses, with its EC2 parser rules: an element is named by the member's `locationName`, else
// its member name; a list is a wrapper element whose children are named by the list member's
// `locationName` ("item"); errors are `<Response><Errors><Error><Code/><Message/>`.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { WireRecord } from "./simulator.ts";

interface MemberRef {
  shape: string;
  locationName?: string;
  queryName?: string;
}
interface Shape {
  type: string;
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
}
export interface BotocoreModel {
  metadata: { apiVersion: string; protocol: string };
  operations: Record<string, { input?: { shape: string }; output?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..", "..", "..");
export const MODEL_PATH = path.join(REPO_ROOT, "..", "shared", "specs", "aws-ec2.botocore-model.json");

let cached: BotocoreModel | null | undefined;
/** The model, or undefined when ../shared/specs is absent (callers skip with a message). */
export function loadModel(): BotocoreModel | undefined {
  if (cached === undefined) cached = existsSync(MODEL_PATH) ? (JSON.parse(readFileSync(MODEL_PATH, "utf8")) as BotocoreModel) : null;
  return cached ?? undefined;
}

// ---------- requests -----------------------------------------------------------------------------

type Tree = { [k: string]: Tree | string };

function toTree(params: Record<string, string>): { tree: Tree; errors: string[] } {
  const tree: Tree = {};
  const errors: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const parts = key.split(".");
    let node = tree;
    let ok = true;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i] as string;
      const next = node[p];
      if (typeof next === "string") {
        errors.push(`${key}: ${parts.slice(0, i + 1).join(".")} is also sent as a scalar`);
        ok = false;
        break;
      }
      if (next === undefined) node[p] = {};
      node = node[p] as Tree;
    }
    if (!ok) continue;
    const last = parts[parts.length - 1] as string;
    if (typeof node[last] === "object") errors.push(`${key}: sent both as a scalar and as a container`);
    else node[last] = value;
  }
  return { tree, errors };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function serializedName(memberName: string, ref: MemberRef): string {
  if (ref.queryName) return ref.queryName;
  if (ref.locationName) return cap(ref.locationName);
  return memberName;
}

function checkScalar(model: BotocoreModel, shapeName: string, value: string, where: string, errors: string[]): void {
  const s = model.shapes[shapeName] as Shape;
  switch (s.type) {
    case "string":
      if (s.enum && !s.enum.includes(value))
        errors.push(`${where}: "${value.slice(0, 40)}" is not one of ${shapeName}'s ${s.enum.length} enum values`);
      if (s.min !== undefined && value.length < s.min) errors.push(`${where}: shorter than ${s.min}`);
      if (s.max !== undefined && value.length > s.max) errors.push(`${where}: longer than ${s.max}`);
      return;
    case "integer":
    case "long": {
      if (!/^-?\d+$/.test(value)) {
        errors.push(`${where}: "${value.slice(0, 40)}" is not an ${s.type}`);
        return;
      }
      const n = Number(value);
      if (s.min !== undefined && n < s.min) errors.push(`${where}: ${n} < min ${s.min}`);
      if (s.max !== undefined && n > s.max) errors.push(`${where}: ${n} > max ${s.max}`);
      return;
    }
    case "double":
    case "float":
      if (!Number.isFinite(Number(value)) || value.trim() === "") errors.push(`${where}: "${value}" is not a number`);
      return;
    case "boolean":
      if (value !== "true" && value !== "false") errors.push(`${where}: "${value}" is not true/false`);
      return;
    case "timestamp":
      if (Number.isNaN(Date.parse(value))) errors.push(`${where}: "${value}" is not a timestamp`);
      return;
    case "blob":
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) errors.push(`${where}: not base64`);
      return;
    default:
      errors.push(`${where}: a scalar was sent for a ${s.type} (${shapeName})`);
  }
}

function checkRequestValue(model: BotocoreModel, shapeName: string, node: Tree | string, where: string, errors: string[]): void {
  const s = model.shapes[shapeName];
  if (!s) {
    errors.push(`${where}: shape ${shapeName} missing from the model`);
    return;
  }
  if (s.type === "structure") {
    if (typeof node === "string") {
      errors.push(`${where}: a scalar was sent for structure ${shapeName}`);
      return;
    }
    checkRequestStruct(model, shapeName, node, where, errors);
  } else if (s.type === "list") {
    if (typeof node === "string") {
      errors.push(`${where}: a scalar was sent for list ${shapeName} (lists are flattened as ${where}.1)`);
      return;
    }
    const keys = Object.keys(node);
    const idx = keys.map(Number).sort((a, b) => a - b);
    if (keys.some((k) => !/^[1-9]\d*$/.test(k)))
      errors.push(`${where}: list ${shapeName} has non-numeric members ${keys.filter((k) => !/^\d+$/.test(k)).join(",")}`);
    else if (idx.some((n, i) => n !== i + 1)) errors.push(`${where}: list indices are not 1..${idx.length}`);
    if (s.min !== undefined && keys.length < s.min) errors.push(`${where}: fewer than ${s.min} items`);
    if (s.max !== undefined && keys.length > s.max) errors.push(`${where}: more than ${s.max} items`);
    for (const k of keys) checkRequestValue(model, (s.member as MemberRef).shape, node[k] as Tree | string, `${where}.${k}`, errors);
  } else if (s.type === "map") {
    errors.push(`${where}: map shapes are not supported by this validator`);
  } else if (typeof node !== "string") {
    errors.push(`${where}: a container was sent for ${s.type} ${shapeName}`);
  } else {
    checkScalar(model, shapeName, node, where, errors);
  }
}

function checkRequestStruct(model: BotocoreModel, shapeName: string, node: Tree, where: string, errors: string[]): void {
  const s = model.shapes[shapeName] as Shape;
  const byWire = new Map<string, [string, MemberRef]>();
  for (const [name, ref] of Object.entries(s.members ?? {})) byWire.set(serializedName(name, ref), [name, ref]);
  for (const [key, value] of Object.entries(node)) {
    const m = byWire.get(key);
    if (!m) {
      errors.push(`${where ? `${where}.` : ""}${key}: not a member of ${shapeName}`);
      continue;
    }
    checkRequestValue(model, m[1].shape, value, where ? `${where}.${key}` : key, errors);
  }
  for (const req of s.required ?? []) {
    const ref = s.members?.[req];
    if (ref && !(serializedName(req, ref) in node))
      errors.push(`${where ? `${where}.` : ""}${serializedName(req, ref)}: required by ${shapeName} but not sent`);
  }
}

/** Violations of an EC2 Query request against the model; [] when it conforms. */
export function validateRequest(model: BotocoreModel, action: string, version: string, params: Record<string, string>): string[] {
  const op = model.operations[action];
  if (!op) return [`Action=${action}: no such EC2 operation`];
  const errors: string[] = [];
  if (version !== model.metadata.apiVersion) errors.push(`Version=${version}: expected ${model.metadata.apiVersion}`);
  const { tree, errors: shapeErrors } = toTree(params);
  errors.push(...shapeErrors);
  if (!op.input) {
    if (Object.keys(params).length) errors.push(`${action} takes no input, got ${Object.keys(params).join(",")}`);
    return errors;
  }
  checkRequestStruct(model, op.input.shape, tree, "", errors);
  return errors.map((e) => `${action}: ${e}`);
}

// ---------- responses ------------------------------------------------------------------------------

export interface El {
  name: string;
  children: El[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** A small, strict XML parser for what the simulator sends: elements, text, attributes ignored. */
export function parseXml(src: string): El {
  const s = src.replace(/^\s*<\?xml[^>]*\?>\s*/, "");
  const root: El = { name: "#doc", children: [], text: "" };
  const stack: El[] = [root];
  const re = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  for (;;) {
    re.lastIndex = pos;
    m = re.exec(s);
    if (!m) break;
    pos = re.lastIndex;
    const top = stack[stack.length - 1] as El;
    if (m[5] !== undefined) {
      top.text += m[5].replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e] as string);
      continue;
    }
    const [, closing, name = ""] = m;
    if (closing) {
      if (top.name !== name) throw new Error(`XML: </${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const el: El = { name, children: [], text: "" };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    }
  }
  if (pos !== s.length) throw new Error(`XML: cannot parse at offset ${pos}: ${s.slice(pos, pos + 40)}`);
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1]?.name}> is not closed`);
  if (root.children.length !== 1) throw new Error("XML: expected one root element");
  return root.children[0] as El;
}

function checkResponseValue(model: BotocoreModel, shapeName: string, el: El, where: string, errors: string[]): void {
  const s = model.shapes[shapeName] as Shape;
  if (s.type === "structure") {
    checkResponseStruct(model, shapeName, el, where, errors);
  } else if (s.type === "list") {
    if (el.text.trim()) errors.push(`${where}: list ${shapeName} has text`);
    const itemName = (s.member as MemberRef).locationName ?? "member";
    el.children.forEach((c, i) => {
      if (c.name !== itemName) errors.push(`${where}.${c.name}: list items of ${shapeName} are <${itemName}>`);
      else checkResponseValue(model, (s.member as MemberRef).shape, c, `${where}[${i}]`, errors);
    });
  } else {
    if (el.children.length) errors.push(`${where}: ${s.type} ${shapeName} has child elements`);
    else if (s.type === "string" && el.text === "") return;
    else checkScalar(model, shapeName, el.text, where, errors);
  }
}

function checkResponseStruct(model: BotocoreModel, shapeName: string, el: El, where: string, errors: string[], extra: string[] = []): void {
  const s = model.shapes[shapeName] as Shape;
  const byXml = new Map<string, MemberRef>();
  for (const [name, ref] of Object.entries(s.members ?? {})) byXml.set(ref.locationName ?? name, ref);
  const seen = new Set<string>();
  for (const c of el.children) {
    if (extra.includes(c.name)) continue;
    const ref = byXml.get(c.name);
    if (!ref) {
      errors.push(`${where}.${c.name}: not a member of ${shapeName}`);
      continue;
    }
    if (seen.has(c.name)) errors.push(`${where}.${c.name}: appears twice`);
    seen.add(c.name);
    checkResponseValue(model, ref.shape, c, `${where}.${c.name}`, errors);
  }
}

/** Violations of an EC2 XML answer (success or error) against the model; [] when it conforms. */
export function validateResponse(model: BotocoreModel, action: string, status: number, body: string): string[] {
  let root: El;
  try {
    root = parseXml(body);
  } catch (err) {
    return [`${action}: response is not well-formed XML (${(err as Error).message})`];
  }
  const errors: string[] = [];
  if (status >= 300) {
    const names = root.children.map((c) => c.name);
    const errs = root.children.find((c) => c.name === "Errors");
    const error = errs?.children[0];
    if (root.name !== "Response" || names.join(",") !== "Errors,RequestID" || errs?.children.length !== 1 || error?.name !== "Error") {
      errors.push(
        `${action} error: expected <Response><Errors><Error/></Errors><RequestID/></Response>, got <${root.name}> with ${names.join(",")}`,
      );
    } else {
      const fields = error.children.map((c) => c.name).join(",");
      if (fields !== "Code,Message") errors.push(`${action} error: <Error> has ${fields}, expected Code,Message`);
      if (!error.children[0]?.text) errors.push(`${action} error: empty Code`);
    }
    return errors;
  }
  const op = model.operations[action];
  if (!op) return [`${action}: no such EC2 operation`];
  if (root.name !== `${action}Response`) errors.push(`${action}: root element is <${root.name}>, expected <${action}Response>`);
  if (root.children[0]?.name !== "requestId") errors.push(`${action}: first child is not <requestId>`);
  if (op.output) {
    checkResponseStruct(model, op.output.shape, root, action, errors, ["requestId"]);
  } else {
    // Operations without an output shape answer <return>true</return>.
    for (const c of root.children) {
      if (c.name === "requestId") continue;
      if (c.name !== "return" || (c.text !== "true" && c.text !== "false"))
        errors.push(`${action}: unexpected <${c.name}> in an answer without output shape`);
    }
  }
  return errors;
}

/** Validates every EC2 exchange in a simulator log. STS has no model here and is skipped. */
export function checkWire(model: BotocoreModel, log: WireRecord[]): { checked: number; violations: string[] } {
  const violations: string[] = [];
  let checked = 0;
  for (const r of log) {
    if (r.service !== "ec2") continue;
    checked++;
    violations.push(...validateRequest(model, r.action, r.version, r.params));
    // A simulated reset has no body and a proxy's 502 is not EC2 speaking; other faults send
    // EC2's own error envelope and are checked.
    if (r.status !== 0 && r.fault !== "proxy_502") violations.push(...validateResponse(model, r.action, r.status, r.body));
  }
  return { checked, violations: [...new Set(violations)] };
}
