// terawatt serve: renders /openapi.json (offline; FastAPI's /docs would load from a CDN).
"use strict";

/** Escaped text with ``code`` and `code` spans (the docstrings' markup) as <code>. */
function md(text) {
  return TW.esc(text || "").replace(/``(.+?)``|`(.+?)`/g, (_, a, b) => `<code>${a || b}</code>`);
}

function schemaName(ref) {
  return ref ? ref.split("/").pop() : "";
}

function typeOf(p) {
  if (!p) return "";
  if (p.$ref) return schemaName(p.$ref);
  if (p.anyOf) return p.anyOf.map(typeOf).join(" | ");
  if (p.type === "array") return `${typeOf(p.items)}[]`;
  if (p.type === "object" && p.additionalProperties) return `{key: ${typeOf(p.additionalProperties)}}`;
  return p.type || "";
}

function limitsOf(p) {
  const parts = [];
  for (const [k, label] of [["minimum", "≥"], ["maximum", "≤"], ["maxLength", "max length"],
    ["maxProperties", "max entries"], ["pattern", "pattern"]]) {
    if (p[k] !== undefined) parts.push(`${label} ${p[k]}`);
  }
  if (p.default !== undefined) parts.push(`default ${JSON.stringify(p.default)}`);
  return parts.join(", ");
}

function fields(schema) {
  const props = schema.properties || {};
  const req = new Set(schema.required || []);
  return `<table><tr><th>field</th><th>type</th><th>limits</th><th>description</th></tr>` +
    Object.entries(props).map(([k, p]) => `<tr><td><code>${TW.esc(k)}</code>${req.has(k) ? " *" : ""}
      </td><td>${TW.esc(typeOf(p))}</td><td>${TW.esc(limitsOf(p))}</td>
      <td>${md(p.description)}</td></tr>`).join("") + "</table>";
}

async function main() {
  const spec = await TW.api("/openapi.json");
  document.getElementById("intro").innerHTML = md(spec.info.description);
  const schemas = (spec.components || {}).schemas || {};
  const out = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters || []).map((p) => `<li><code>${TW.esc(p.name)}</code>
        (${TW.esc(p.in)}${p.required ? ", required" : ""}): ${TW.esc(typeOf(p.schema))}
        ${TW.esc(limitsOf(p.schema || {}))} ${md(p.description)}</li>`).join("");
      const ref = op.requestBody && op.requestBody.content["application/json"]
        ? op.requestBody.content["application/json"].schema.$ref : null;
      const body = ref ? `<p>Body <code>${TW.esc(schemaName(ref))}</code>:
        ${md(schemas[schemaName(ref)].description)}</p>${fields(schemas[schemaName(ref)])}`
        : "";
      out.push(`<div class="endpoint"><span class="method">${method.toUpperCase()}</span>
        <code>${TW.esc(path)}</code> <b>${TW.esc(op.summary || "")}</b>
        <p>${md(op.description)}</p>${params ? `<ul>${params}</ul>` : ""}${body}</div>`);
    }
  }
  document.getElementById("endpoints").innerHTML = out.join("");
}

main().catch((e) => TW.error(e.message));
