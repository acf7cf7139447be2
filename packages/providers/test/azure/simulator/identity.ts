// Entra ID (the Microsoft identity platform) as far as a service principal's client-secret flow
// needs it: the authority's OpenID configuration, and the v2.0 token endpoint answering
// `grant_type=client_credentials`. Each token it issues is registered with the ARM simulator,
// carrying the principal's permissions; a wrong or expired secret is refused as Entra ID does.

import { randomBytes } from "node:crypto";
import type { Route, SimResponse, TokenInfo } from "../../simulator/core.ts";

export interface Principal {
  label: "valid" | "revoked" | "limited";
  clientId: string;
  clientSecret: string;
  /** ARM actions the principal holds ("all": every action of the role below). */
  grants: TokenInfo["grants"];
  /** The secret was valid once and has expired (AADSTS7000222). */
  expired?: boolean;
}

const aadError = (status: number, error: string, description: string): SimResponse => ({
  status,
  body: { error, error_description: description, error_codes: [Number(description.slice(5, 12)) || 0], timestamp: "2026-11-25 12:00:00Z" },
});

export function identityRoutes(o: {
  tenantId: string;
  principals: readonly Principal[];
  issue(token: string, info: TokenInfo): void;
  /** Counts token requests (tests assert the driver reuses its token). */
  onToken?: (p: Principal) => void;
}): Route[] {
  const openid = (apiUrl: string, tenant: string) => ({
    token_endpoint: `${apiUrl}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${apiUrl}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${apiUrl}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${apiUrl}/oidc/userinfo`,
    authorization_endpoint: `${apiUrl}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${apiUrl}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${apiUrl}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "tid"],
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
  });
  return [
    {
      method: "GET",
      path: "/:tenant/v2.0/.well-known/openid-configuration",
      public: true,
      handle: (c) => ({ status: 200, body: openid(c.apiUrl, c.params.tenant ?? "") }),
    },
    {
      method: "POST",
      path: "/:tenant/oauth2/v2.0/token",
      public: true,
      op: "account",
      handle: (c) => {
        const form = new URLSearchParams(c.rawBody);
        if (c.params.tenant !== o.tenantId) {
          return aadError(400, "invalid_request", `AADSTS90002: Tenant '${c.params.tenant ?? ""}' not found.`);
        }
        if (form.get("grant_type") !== "client_credentials")
          return aadError(400, "unsupported_grant_type", "AADSTS70003: unsupported grant type.");
        const p = o.principals.find((x) => x.clientId === form.get("client_id"));
        if (!p) return aadError(400, "unauthorized_client", "AADSTS700016: Application with identifier was not found in the directory.");
        if (p.clientSecret !== form.get("client_secret")) {
          return aadError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        }
        if (p.expired) return aadError(401, "invalid_client", "AADSTS7000222: The provided client secret keys for app are expired.");
        o.onToken?.(p);
        const token = `simaz.${randomBytes(18).toString("base64url")}`;
        o.issue(token, { label: p.label, grants: p.grants });
        return { status: 200, body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token } };
      },
    },
  ];
}
