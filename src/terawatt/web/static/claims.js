// terawatt serve: the claims audit (POST /api/claims), one claim re-evaluated as an input moves
// (POST /api/claims/{id}) and where its verdict flips (POST /api/claims/{id}/flip).
"use strict";

const claims = {scenario: null, rows: {}, open: null, loaded: false, evaluations: 0, scans: 0};
window.twClaims = claims;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function inputsHtml(r) {
  if (!r.inputs.length) return '<span class="muted">none listed (judged on whole models or published records)</span>';
  return r.inputs.map((a) => `<span class="key" role="button" tabindex="0"
      data-claim="${TW.esc(r.id)}" data-key="${TW.esc(a.key)}"
      title="${TW.esc(`${TW.num(a.value)} ${a.unit}; ${a.source.cite}`)}">${TW.esc(a.key)}</span>`)
    .join(" ");
}

function render(doc) {
  const body = document.querySelector("#claims tbody");
  claims.rows = {};
  body.innerHTML = doc.claims.map((r) => {
    claims.rows[r.id] = r;
    const be = r.break_evens.length ? r.break_evens.map(TW.esc).join("<br>") : "–";
    return `<tr id="claim-${TW.esc(r.id)}">
      <td>${TW.esc(r.id)}</td><td>${TW.esc(r.claim)}</td><td>${TW.esc(r.claimed)}</td>
      <td>${TW.esc(r.model)}</td><td>${TW.verdict(r.verdict)}</td><td>${be}</td>
      <td><details><summary>why</summary>${TW.esc(r.why)}</details></td>
      <td>${inputsHtml(r)}</td></tr>`;
  }).join("");
  document.getElementById("counts").textContent = Object.entries(doc.counts)
    .map(([v, n]) => `${n} ${v}`).join(", ");
  for (const el of body.querySelectorAll(".key")) {
    const go = () => openFlip(el.dataset.claim, el.dataset.key);
    el.addEventListener("click", go);
    el.addEventListener("keydown", (e) => { if (e.key === "Enter") go(); });
  }
  claims.loaded = true;
}

async function load() {
  claims.loaded = false;
  document.getElementById("counts").textContent = "auditing…";
  try {
    render(await TW.api("/api/claims", {scenario: claims.scenario, values: {}}));
    TW.error("");
  } catch (e) {
    TW.error(e.message);
  }
}

function marker(value) {
  return [{type: "line", x0: value, x1: value, yref: "paper", y0: 0, y1: 1,
    line: {color: "#333", dash: "dot"}}];
}

function drawScan(scan) {
  const a = scan.input;
  const xs = scan.points.map((p) => p.value);
  const fig = {
    data: [{x: xs, y: scan.points.map((p) => p.verdict), mode: "markers+lines", type: "scatter",
      line: {color: "#bbb"}, text: scan.points.map((p) => `model ${p.model}`),
      marker: {size: 12, color: scan.points.map((p) => TW.verdictColour[p.verdict])}}],
    layout: {title: `${scan.claim}: verdict across ${a.key}`, height: 240,
      margin: {l: 110, r: 20, t: 40, b: 40}, xaxis: {title: `${a.key} [${a.unit}]`},
      yaxis: {type: "category"}, shapes: marker(scan.current)},
  };
  TW.plot("flip-chart", fig);
  const flips = scan.flips.map((f) => `${f.from} → ${f.to} between ${TW.num(f.between[0])} and ` +
    `${TW.num(f.between[1])} ${a.unit}`);
  document.getElementById("flip-text").textContent = flips.length
    ? `The verdict flips: ${flips.join("; ")}.`
    : `The verdict stays ${scan.points[0].verdict} across ${TW.num(a.slider.lo)}–` +
      `${TW.num(a.slider.hi)} ${a.unit}.`;
}

async function openFlip(claimId, key) {
  const r = claims.rows[claimId];
  const a = r.inputs.find((x) => x.key === key);
  claims.open = {claim: claimId, key};
  const panel = document.getElementById("flip");
  panel.hidden = false;
  document.getElementById("flip-title").textContent = `${claimId} × ${key}: ${r.claim}`;
  const range = document.getElementById("flip-range");
  range.min = a.slider.lo;
  range.max = a.slider.hi;
  range.step = a.slider.step || "any";
  range.value = a.value;
  document.getElementById("flip-value").value = a.value;
  document.getElementById("flip-verdict").innerHTML = TW.verdict(r.verdict);
  document.getElementById("flip-model").textContent = `model ${r.model}`;
  document.getElementById("flip-meta").innerHTML = `[${TW.esc(a.unit)}] ` +
    (a.low !== null ? `range ${TW.num(a.low)}–${TW.num(a.high)}` : "no published range") +
    ` · source: ${a.source.link ? `<a href="${TW.esc(a.source.link)}" target="_blank"
      rel="noopener">${TW.esc(a.source.cite)}</a>` : TW.esc(a.source.cite)}`;
  document.getElementById("flip-explore").href =
    `/?scenario=${encodeURIComponent(claims.scenario)}&key=${encodeURIComponent(key)}`;
  document.getElementById("flip-text").textContent = "scanning the input's range…";
  panel.scrollIntoView({block: "nearest"});
  try {
    const scan = await TW.api(`/api/claims/${encodeURIComponent(claimId)}/flip`,
      {scenario: claims.scenario, values: {}, key});
    if (claims.open && claims.open.key === key && claims.open.claim === claimId) drawScan(scan);
    claims.scans += 1;
    TW.error("");
  } catch (e) {
    TW.error(e.message);
  }
}

const evaluate = TW.latest(async () => {
  if (!claims.open) return;
  const {claim, key} = claims.open;
  const t = document.getElementById("flip-value").value.trim();
  const v = NUMBER.test(t) ? Number(t) : t;
  try {
    const r = await TW.api(`/api/claims/${encodeURIComponent(claim)}`,
      {scenario: claims.scenario, values: {[key]: v}});
    document.getElementById("flip-verdict").innerHTML = TW.verdict(r.verdict);
    document.getElementById("flip-model").textContent = `model ${r.model}`;
    const chart = document.getElementById("flip-chart");
    if (typeof v === "number" && chart.data) Plotly.relayout(chart, {shapes: marker(v)});
    TW.error("");
  } catch (e) {
    TW.error(e.message);
  } finally {
    claims.evaluations += 1;
  }
});

async function main() {
  const select = document.getElementById("scenario");
  const params = new URLSearchParams(location.search);
  claims.scenario = (await TW.scenarios(select, params.get("scenario"))).chosen;
  select.addEventListener("change", () => {
    claims.scenario = select.value;
    document.getElementById("flip").hidden = true;
    claims.open = null;
    load();
  });
  const range = document.getElementById("flip-range");
  const text = document.getElementById("flip-value");
  range.addEventListener("input", () => { text.value = range.value; evaluate(); });
  text.addEventListener("change", () => {
    if (NUMBER.test(text.value.trim())) range.value = Number(text.value);
    evaluate();
  });
  document.getElementById("flip-close").addEventListener("click", () => {
    document.getElementById("flip").hidden = true;
    claims.open = null;
  });
  await load();
}

main().catch((e) => TW.error(e.message));
