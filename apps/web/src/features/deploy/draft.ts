// The wizard's state, and the same rules the server applies (packages/contracts, createInstanceSchema),
// checked here first so a mistake is pointed at its field before anything is sent.
import type { CreateInstance } from "@clawcloud/contracts";
import type { CloudCredential, Size } from "../cloud-accounts/api";
import { bySize, MIN_MEMORY_MB, offeredIn, RECOMMENDED_MEMORY_MB } from "../cloud-accounts/sizing";

export type StepId = "where" | "size" | "details";
export const STEP_IDS: StepId[] = ["where", "size", "details"];

export const LOCAL = "local";

export interface Draft {
  /** "local", or the id of a cloud account. */
  target: string | null;
  region: string;
  size: string;
  /** null: the suggested name, until the person types one. */
  name: string | null;
  version: "stable" | "exact";
  exactVersion: string;
  keepOnFailure: boolean;
}

export const emptyDraft: Draft = {
  target: null,
  region: "",
  size: "",
  name: null,
  version: "stable",
  exactVersion: "",
  keepOnFailure: false,
};

export type DraftErrors = Partial<Record<"target" | "region" | "size" | "name" | "openclawVersion", string>>;

export const NAME_MAX = 48;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;
const VERSION_RE = /^\d{4}\.\d{1,2}\.\d{1,2}(-[0-9A-Za-z.]+)?$/;

export function validateName(name: string): string | undefined {
  const value = name.trim();
  if (!value) return "Give your assistant a name.";
  if (value.length > NAME_MAX) return `Use at most ${NAME_MAX} characters.`;
  if (!NAME_RE.test(value)) return "Use letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit.";
  return undefined;
}

export function validateVersion(version: string): string | undefined {
  const value = version.trim();
  if (!value) return "Enter the OpenClaw version, such as 2026.9.6.";
  if (!VERSION_RE.test(value)) return "An OpenClaw version looks like 2026.9.6 (year.month.day).";
  return undefined;
}

/** "my-assistant", or "my-assistant-2" when that is taken, and so on. */
export function suggestName(taken: readonly string[], base = "my-assistant"): string {
  const names = new Set(taken.map((n) => n.toLowerCase()));
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Why a cloud account can't be chosen, or null when it can. */
export function unusableReason(credential: CloudCredential, emailVerified: boolean): string | null {
  if (!emailVerified) return "Verify your e-mail to deploy here.";
  if (credential.status === "invalid") return "The provider no longer accepts this token: add it again.";
  if (credential.status === "unavailable") return "Couldn't be checked just now: verify it again on its page.";
  return null;
}

/** The cheapest 4 GB size offered in the region: the one to preselect. */
export function recommendedSize(sizes: readonly Size[], region: string): Size | undefined {
  return [...sizes].sort(bySize).find((s) => s.memoryMb === RECOMMENDED_MEMORY_MB && offeredIn(s, region));
}

export function sizeUsable(size: Size, region: string): boolean {
  return size.memoryMb >= MIN_MEMORY_MB && offeredIn(size, region);
}

/** The request body for the draft (whose steps were checked). */
export function requestBody(draft: Draft, name: string, credential: CloudCredential | undefined): CreateInstance {
  const version = draft.version === "exact" ? { openclawVersion: draft.exactVersion.trim() } : {};
  if (!credential) return { name: name.trim(), provider: "local", ...version };
  return {
    name: name.trim(),
    provider: credential.provider,
    credentialId: credential.id,
    region: draft.region,
    size: draft.size,
    ...version,
    keepOnFailure: draft.keepOnFailure,
  };
}
