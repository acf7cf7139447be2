// The GCP credential: a service account's JSON key. It signs its own short-lived JWTs (a
// self-signed JWT per API, no token exchange), so requests go only to the APIs themselves.

import { JWT } from "google-auth-library";

export interface GcpServiceAccountKey {
  type: "service_account";
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id?: string;
  token_uri?: string;
}

export type GcpCredentials = GcpServiceAccountKey;

/** A JWT client with no scopes: google-auth-library then signs a JWT whose audience is the API. */
export function gcpAuthClient(key: GcpServiceAccountKey): JWT {
  return new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: [] });
}
