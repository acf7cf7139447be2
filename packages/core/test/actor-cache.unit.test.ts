import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.ts";
import { ActorCache } from "../src/auth/actor-cache.ts";

const actor = (userId: string): Actor => ({
  userId,
  sessionId: `ses_${userId}`,
  workspaceId: "wks_1",
  role: "owner",
  isStaff: false,
  user: { id: userId, name: "n", email: "e@x", emailVerified: false, createdAt: new Date(0) },
});

describe("ActorCache", () => {
  it("keys by a hash of the cookie header, never the token itself", () => {
    const key = ActorCache.key(new Headers({ cookie: "better-auth.session_token=SECRET.sig" }));
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain("SECRET");
    expect(ActorCache.key(new Headers())).toBeUndefined();
  });

  it("expires entries after the TTL", () => {
    const c = new ActorCache({ ttlMs: 1000, max: 10 });
    c.set("k", actor("u1"), 0);
    expect(c.get("k", 999)?.userId).toBe("u1");
    expect(c.get("k", 1000)).toBeUndefined();
  });

  it("forgets one session or every session of a user", () => {
    const c = new ActorCache({ ttlMs: 1000, max: 10 });
    c.set("a", actor("u1"), 0);
    c.set("b", actor("u1"), 0);
    c.set("c", actor("u2"), 0);
    c.forget("a");
    expect(c.get("a", 1)).toBeUndefined();
    c.forgetUser("u1");
    expect(c.get("b", 1)).toBeUndefined();
    expect(c.get("c", 1)?.userId).toBe("u2");
  });

  it("stays within its bound, dropping the oldest", () => {
    const c = new ActorCache({ ttlMs: 1000, max: 2 });
    c.set("a", actor("u1"), 0);
    c.set("b", actor("u2"), 0);
    c.set("c", actor("u3"), 0);
    expect(c.get("a", 1)).toBeUndefined();
    expect(c.get("c", 1)?.userId).toBe("u3");
  });
});
