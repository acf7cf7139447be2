// A readable API reference rendered on the server from the OpenAPI document: no script, so it
// runs under the same strict CSP as the app, and every string in it is escaped.
import type { Context } from "hono";

type Json = Record<string, unknown>;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] as string);

function schemaBlock(schema: unknown): string {
  if (!schema) return "";
  return `<pre><code>${escapeHtml(JSON.stringify(schema, null, 2))}</code></pre>`;
}

function operation(path: string, method: string, op: Json): string {
  const params = (op.parameters as Json[] | undefined) ?? [];
  const body = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.["application/json"] as Json | undefined;
  const responses = Object.entries((op.responses as Json | undefined) ?? {}).map(([status, r]) => {
    const content = ((r as Json).content as Json | undefined)?.["application/json"] as Json | undefined;
    return `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(String((r as Json).description ?? ""))}${schemaBlock(content?.schema)}</li>`;
  });
  return `<section class="op" id="${escapeHtml(`${method}-${path}`)}">
  <h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
  <p>${escapeHtml(String(op.summary ?? ""))}</p>
  ${op.description ? `<p class="desc">${escapeHtml(String(op.description))}</p>` : ""}
  ${params.length ? `<h4>Parameters</h4><ul>${params.map((p) => `<li><code>${escapeHtml(String(p.name))}</code> in ${escapeHtml(String(p.in))}${p.required ? " (required)" : ""}</li>`).join("")}</ul>` : ""}
  ${body ? `<h4>Request body</h4>${schemaBlock(body.schema)}` : ""}
  <h4>Responses</h4><ul>${responses.join("")}</ul>
</section>`;
}

export function renderDocsPage(c: Context, doc: Json): Response {
  const info = (doc.info as Json | undefined) ?? {};
  const ops: string[] = [];
  const toc: string[] = [];
  for (const [path, item] of Object.entries((doc.paths as Json | undefined) ?? {})) {
    for (const [method, op] of Object.entries(item as Json)) {
      ops.push(operation(path, method, op as Json));
      toc.push(
        `<li><a href="#${escapeHtml(`${method}-${path}`)}"><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> ${escapeHtml(path)}</a></li>`,
      );
    }
  }
  return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(String(info.title ?? "API"))} — API reference</title>
<link rel="stylesheet" href="/api/docs/docs.css"></head>
<body><main>
<h1>${escapeHtml(String(info.title ?? "API"))} <small>v${escapeHtml(String(info.version ?? ""))}</small></h1>
<p>${escapeHtml(String(info.description ?? ""))}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Errors always have the body
<code>{"error":{"code","message","requestId"}}</code>.</p>
<nav aria-label="Operations"><ul>${toc.join("")}</ul></nav>
${ops.join("\n")}
</main></body></html>`);
}

export const docsCss = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#fff;--card:#f6f8fa;--line:#d0d7de}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#161b22;--line:#30363d}}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:960px;margin:0 auto;padding:24px 16px 64px}
h1 small{color:var(--muted);font-weight:400;font-size:.6em}
.op{border:1px solid var(--line);border-radius:10px;padding:4px 18px 12px;margin:20px 0;background:var(--card)}
pre{overflow:auto;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px;font-size:13px}
.method{display:inline-block;min-width:56px;text-align:center;border-radius:4px;padding:1px 6px;font-size:12px;font-weight:700;color:#fff;background:#57606a}
.method.get{background:#0969da}.method.post{background:#1a7f37}.method.patch,.method.put{background:#9a6700}.method.delete{background:#cf222e}
nav ul{list-style:none;padding:0;columns:2}nav a{color:inherit;text-decoration:none}a{color:#0969da}
`;
