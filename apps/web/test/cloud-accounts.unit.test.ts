// The checks the add-account form makes before sending an Azure service principal or a GCP key:
// the same rules the server applies, pointed at the field at fault.
import { describe, expect, it } from "vitest";
import { parseGcpKey, validateAzure } from "../src/features/cloud-accounts/validation";

const GUID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const sp = { tenantId: GUID, clientId: GUID, clientSecret: "Q8X~abcdefghijklmnopqrstu", subscriptionId: GUID, resourceGroup: "clawcloud" };

describe("Azure service principal", () => {
  it("accepts the five values az ad sp create-for-rbac and the portal give", () => {
    expect(Object.values(validateAzure(sp)).filter(Boolean)).toEqual([]);
  });

  it("points at each field that is wrong", () => {
    const e = validateAzure({
      tenantId: "contoso.onmicrosoft.com",
      clientId: "",
      clientSecret: "short",
      subscriptionId: GUID,
      resourceGroup: "ends.",
    });
    expect(e.tenantId).toMatch(/GUID/);
    expect(e.clientId).toMatch(/Paste the client/);
    expect(e.clientSecret).toMatch(/too short/);
    expect(e.subscriptionId).toBeUndefined();
    expect(e.resourceGroup).toMatch(/does not end with/);
  });
});

describe("GCP service account key", () => {
  const key = {
    type: "service_account",
    project_id: "p-123456",
    private_key_id: "a".repeat(40),
    private_key: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n",
    client_email: "c@p-123456.iam.gserviceaccount.com",
  };

  it("parses a pasted key file", () => {
    expect(parseGcpKey(JSON.stringify(key, null, 2))).toEqual({ key });
  });

  it("says what is wrong with anything else", () => {
    expect(parseGcpKey("")).toEqual({ error: expect.stringMatching(/Paste the contents/) });
    expect(parseGcpKey("{ nope")).toEqual({ error: expect.stringMatching(/not the JSON/) });
    expect(parseGcpKey(JSON.stringify({ ...key, type: "authorized_user" }))).toEqual({ error: expect.stringMatching(/service_account/) });
    expect(parseGcpKey(JSON.stringify({ ...key, private_key: undefined }))).toEqual({ error: expect.stringMatching(/"private_key"/) });
  });
});
