import type { buildOpenApi } from './openapi.js';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain, script-free page of the API generated from the same OpenAPI document. */
export function renderDocsPage(doc: ReturnType<typeof buildOpenApi>): string {
  const rows: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const o = raw as { operationId: string; summary: string; parameters: { name: string; in: string; required?: boolean }[]; requestBody?: { content: Record<string, { schema: unknown }> }; 'x-permission': string; responses: Record<string, unknown> };
      const params = o.parameters.map((p) => `<code>${esc(p.name)}</code> <small>${esc(p.in)}${p.required ? ', required' : ''}</small>`).join('<br>');
      const bodyType = o.requestBody ? Object.keys(o.requestBody.content)[0] : '';
      const body = o.requestBody ? `<details><summary>${esc(bodyType)} body</summary><pre>${esc(JSON.stringify(Object.values(o.requestBody.content)[0]!.schema, null, 2))}</pre></details>` : '';
      const ok = Object.keys(o.responses)[0];
      rows.push(`<tr><td><b>${esc(method.toUpperCase())}</b></td><td><code>${esc(path)}</code><br><small>${esc(o.operationId)}</small></td><td>${esc(o.summary)}${body}</td><td>${params}</td><td>${esc(ok)}</td><td>${esc(o['x-permission'])}</td></tr>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Marquee API</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#1b1b1f}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.5rem;vertical-align:top;text-align:left}code{background:#f3f3f6;padding:0 .2rem}pre{max-height:20rem;overflow:auto;background:#f7f7fa;padding:.5rem}</style></head>
<body><h1>Marquee API ${esc(doc.info.version)}</h1><p>${esc(doc.info.description)}</p>
<p>Send <code>Authorization: Bearer &lt;token&gt;</code> on every route but health and this documentation. Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What it does</th><th>Parameters</th><th>Success</th><th>Permission</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}
