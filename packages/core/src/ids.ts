// Prefixed, time-sortable ids (`usr_01jf…`): the prefix tells a reader what an id points at,
// and ULIDs sort by creation time, which keeps b-tree inserts local.
import { monotonicFactory } from "ulid";

export const idPrefixes = {
  user: "usr",
  workspace: "wks",
  member: "mem",
  invitation: "inv",
  session: "ses",
  account: "acc",
  verification: "vrf",
  rateLimit: "rlm",
  instance: "ins",
  credential: "crd",
  request: "req",
  event: "evt",
  agentCredential: "agc",
  apiToken: "pat",
} as const;

export type IdKind = keyof typeof idPrefixes;

const next = monotonicFactory();

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${next().toLowerCase()}`;
}
