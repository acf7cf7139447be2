// EC2 Query encoding (form parameters → tree, filters) and the XML answers and error envelopes.

import { randomBytes } from "node:crypto";
import type { Tag } from "./state.ts";

export type Node = string | { [k: string]: Node };

export class SimError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

// ---------- Query parameters → tree -----------------------------------------------------------

/** `A.1.B=x` → { A: { "1": { B: "x" } } }. Numeric keys stay strings; `list()` reads them in order. */
export function nest(params: Record<string, string>): { [k: string]: Node } {
  const root: { [k: string]: Node } = {};
  for (const [key, value] of Object.entries(params)) {
    const parts = key.split(".");
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i] as string;
      const next = node[p];
      if (typeof next === "string")
        throw new SimError("InvalidParameterValue", `Parameter ${key} conflicts with ${parts.slice(0, i + 1).join(".")}`);
      if (next === undefined) node[p] = {};
      node = node[p] as { [k: string]: Node };
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return root;
}

export function str(node: Node | undefined, key: string): string | undefined {
  if (node === undefined || typeof node === "string") return undefined;
  const v = node[key];
  return typeof v === "string" ? v : undefined;
}
export function obj(node: Node | undefined, key: string): { [k: string]: Node } | undefined {
  if (node === undefined || typeof node === "string") return undefined;
  const v = node[key];
  return v !== undefined && typeof v !== "string" ? v : undefined;
}
export function list(node: Node | undefined, key: string): Node[] {
  const o = obj(node, key);
  if (!o) return [];
  const idx = Object.keys(o)
    .map(Number)
    .sort((a, b) => a - b);
  idx.forEach((n, i) => {
    if (n !== i + 1) throw new SimError("InvalidParameterValue", `List ${key} must be numbered 1..n`);
  });
  return idx.map((n) => o[String(n)] as Node);
}
export const strings = (node: Node | undefined, key: string) => list(node, key).filter((x): x is string => typeof x === "string");
export function int(node: Node | undefined, key: string): number | undefined {
  const s = str(node, key);
  if (s === undefined) return undefined;
  if (!/^-?\d+$/.test(s)) throw new SimError("InvalidParameterValue", `Value (${s}) for parameter ${key} is invalid. Expected an integer.`);
  return Number(s);
}
export function need(node: Node | undefined, key: string): string {
  const v = str(node, key);
  if (v === undefined || v === "") throw new SimError("MissingParameter", `The request must contain the parameter ${key}`);
  return v;
}

export interface FilterSpec {
  name: string;
  values: string[];
}
export function filters(p: Node): FilterSpec[] {
  return list(p, "Filter").map((f) => ({ name: need(f, "Name"), values: strings(f, "Value") }));
}
export function tagSpecs(p: Node): { type: string; tags: Tag[] }[] {
  return list(p, "TagSpecification").map((s) => ({
    type: need(s, "ResourceType"),
    tags: list(s, "Tag").map((t) => ({ key: need(t, "Key"), value: str(t, "Value") ?? "" })),
  }));
}
export const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(value);
export const matchAny = (values: string[], v: string | undefined) => v !== undefined && values.some((pat) => glob(pat, v));
export function tagFilter(f: FilterSpec, tags: Tag[]): boolean | undefined {
  if (f.name === "tag-key") return tags.some((t) => matchAny(f.values, t.key));
  if (f.name.startsWith("tag:")) {
    const key = f.name.slice(4);
    return tags.some((t) => t.key === key && matchAny(f.values, t.value));
  }
  return undefined;
}

// ---------- XML ------------------------------------------------------------------------------

export type X = string | number | boolean | Date | undefined | X[] | { [k: string]: X };
export const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Objects become elements, arrays EC2 lists (`<item>` children), Dates ISO 8601. */
export function xml(tag: string, v: X): string {
  if (v === undefined) return "";
  if (Array.isArray(v)) return `<${tag}>${v.map((item) => xml("item", item)).join("")}</${tag}>`;
  if (v instanceof Date) return `<${tag}>${v.toISOString()}</${tag}>`;
  if (typeof v === "object")
    return `<${tag}>${Object.entries(v)
      .map(([k, c]) => xml(k, c))
      .join("")}</${tag}>`;
  return `<${tag}>${esc(String(v))}</${tag}>`;
}
export const tagSet = (tags: Tag[]) => (tags.length ? tags.map((t) => ({ key: t.key, value: t.value })) : undefined);

export function requestId(): string {
  return randomBytes(16)
    .toString("hex")
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
}
export function ec2Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`;
}
export function stsError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`;
}
