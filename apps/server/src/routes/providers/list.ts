import { type ProviderGuide, providerGuideListSchema } from "@clawcloud/contracts";
import { providerGuides } from "@clawcloud/providers";
import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../../http/api.ts";

export const route = createRoute({
  method: "get",
  path: "/api/v1/providers",
  tags: ["Cloud accounts"],
  summary: "The clouds you can connect, where to create a token for each and the least permissions to grant it.",
  responses: { 200: { description: "Providers", content: { "application/json": { schema: providerGuideListSchema } } } },
});

const names = {
  digitalocean: "DigitalOcean",
  hetzner: "Hetzner Cloud",
  vultr: "Vultr",
  aws: "AWS",
  azure: "Microsoft Azure",
  gcp: "Google Cloud",
} as const;

const items: ProviderGuide[] = (Object.keys(names) as (keyof typeof names)[]).map((id) => ({
  id,
  name: names[id],
  tokenUrl: providerGuides[id].tokenUrl,
  permissions: providerGuides[id].permissions,
  notes: providerGuides[id].notes,
  secretKind: id === "aws" || id === "azure" || id === "gcp" ? id : "token",
}));

export function register(app: Api): void {
  app.openapi(route, (c) => c.json({ items }, 200));
}
