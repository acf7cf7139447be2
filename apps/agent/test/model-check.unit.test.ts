// The test call before a model key is applied: each provider API gets its own request shape, and
// the provider's answer becomes a kind a person can act on, never echoing the key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StubLlm, startStubLlm } from "../../../test-support/stub-llm.ts";
import { checkModel } from "../src/commands/model-check.ts";

let stub: StubLlm;
beforeAll(async () => {
  stub = await startStubLlm({ apiKey: "sk-right-key-0123456789" });
});
afterAll(() => stub.close());

describe("model check", () => {
  it("passes with the right key and model", async () => {
    expect(await checkModel({ baseUrl: stub.baseUrl, apiKey: "sk-right-key-0123456789", model: "stub-echo" })).toEqual({
      ok: true,
      httpStatus: 200,
    });
  });

  it("tells a wrong key, an unknown model and a rate limit apart", async () => {
    expect(await checkModel({ baseUrl: stub.baseUrl, apiKey: "sk-wrong-key-0123456789", model: "stub-echo" })).toMatchObject({
      ok: false,
      errorKind: "auth",
      httpStatus: 401,
    });
    expect(await checkModel({ baseUrl: stub.baseUrl, apiKey: "sk-right-key-0123456789", model: "nope" })).toMatchObject({
      ok: false,
      errorKind: "model_not_found",
      message: "The model 'nope' does not exist",
    });
    expect(await checkModel({ baseUrl: stub.baseUrl, apiKey: "sk-right-key-0123456789", model: "rate-limited" })).toMatchObject({
      ok: false,
      errorKind: "rate_limit",
    });
  });

  it("says which address could not be reached", async () => {
    const r = await checkModel({ baseUrl: "http://127.0.0.1:9/v1", apiKey: "k", model: "m" });
    expect(r).toMatchObject({ ok: false, errorKind: "unreachable" });
    expect(r.message).toContain("http://127.0.0.1:9");
  });
});
