// The proxy/CA passthrough: set values only, and nothing outside the list.
import { describe, expect, it } from "vitest";
import { pickPassthroughEnv } from "../src/index.ts";

describe("pickPassthroughEnv", () => {
  it("keeps the set proxy and CA variables and drops everything else", () => {
    const env = {
      HTTPS_PROXY: "http://proxy:3128",
      no_proxy: "localhost",
      NODE_EXTRA_CA_CERTS: "",
      SSL_CERT_DIR: undefined,
      API_TOKEN: "x",
    };
    expect(pickPassthroughEnv(env)).toEqual({ HTTPS_PROXY: "http://proxy:3128", no_proxy: "localhost" });
  });
});
