// Request rate limits kept in the database, so every replica counts against the same budget: a
// fixed window per key, counted by one atomic upsert (no read-then-write race). Used for sign-in
// per account, credential creation and deploys; better-auth's own limiter (per IP and path, also
// in the database) covers the rest of /api/auth.
import { type Db, sql } from "@clawcloud/db";
import { AppError } from "../errors.ts";

export interface LimitRule {
  /** Window length in seconds. */
  window: number;
  /** Requests allowed per window. */
  max: number;
}

export interface LimitResult {
  allowed: boolean;
  /** Seconds until the window resets. */
  retryAfter: number;
}

export async function hitLimit(db: Pick<Db, "execute">, key: string, rule: LimitRule): Promise<LimitResult> {
  const result = await db.execute<{ count: number; reset_in: number }>(sql`
    insert into request_counters (key, window_start, count) values (${key}, now(), 1)
    on conflict (key) do update set
      count = case when request_counters.window_start <= now() - make_interval(secs => ${rule.window}) then 1 else request_counters.count + 1 end,
      window_start = case when request_counters.window_start <= now() - make_interval(secs => ${rule.window}) then now() else request_counters.window_start end
    returning count, extract(epoch from (window_start + make_interval(secs => ${rule.window}) - now()))::float8 as reset_in`);
  const row = (result as unknown as { rows: { count: number; reset_in: number }[] }).rows[0];
  const count = Number(row?.count ?? 1);
  return { allowed: count <= rule.max, retryAfter: Math.max(1, Math.ceil(Number(row?.reset_in ?? rule.window))) };
}

/** Throws RATE_LIMITED (429 with Retry-After) when `key` is over `rule`. */
export async function enforceLimit(db: Pick<Db, "execute">, key: string, rule: LimitRule, what: string): Promise<void> {
  const r = await hitLimit(db, key, rule);
  if (!r.allowed) {
    throw new AppError("RATE_LIMITED", `Too many ${what}. Try again in ${r.retryAfter} seconds.`, {
      headers: { "retry-after": String(r.retryAfter) },
    });
  }
}

// Sign-in per account is keyed by account AND client address: someone guessing a password from
// elsewhere uses up their own budget, never the real user's (a per-account budget alone would
// let anyone lock a person out). Guessing from many addresses is capped per address by
// better-auth's limiter (auth.ts); a wide botnet is left to the password rules and a proxy's WAF.
export const LIMIT_RULES = {
  signIn: { window: 15 * 60, max: 10 },
  credentialCreate: { window: 60 * 60, max: 30 },
  deploy: { window: 60 * 60, max: 30 },
} as const satisfies Record<string, LimitRule>;

export type LimitName = keyof typeof LIMIT_RULES;

const WHAT: Record<LimitName, string> = {
  signIn: "sign-in attempts for this account",
  credentialCreate: "cloud accounts added",
  deploy: "deploys",
};

export function requestLimits(db: Pick<Db, "execute">, scale: number) {
  return {
    check: (name: LimitName, subject: string) => {
      const rule = LIMIT_RULES[name];
      return enforceLimit(db, `${name}:${subject}`, { window: rule.window, max: Math.max(1, Math.round(rule.max * scale)) }, WHAT[name]);
    },
  };
}

export type RequestLimits = ReturnType<typeof requestLimits>;
