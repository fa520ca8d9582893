// terawatt serve: run folders (GET /api/runs, /api/runs/{id}, /api/runs/{id}/why).
"use strict";

const runs = {shown: null, kind: null, whys: 0};
window.twRuns = runs;

function chartDiv(id) {
  return `<div id="${id}" class="chart"></div>`;
}

function table(rows, cols) {
  if (!rows.length) return '<p class="muted">(none)</p>';
  return `<table><tr>${cols.map((c) => `<th>${TW.esc(c)}</th>`).join("")}</tr>` +
    rows.map((r) => `<tr>${cols.map((c) => `<td>${TW.esc(TW.num(r[c]))}</td>`).join("")}</tr>`)
      .join("") + "</table>";
}

function stack(doc, box) {
  const s = doc.summary;
  const tl = Object.entries(s.bottleneck_timeline || {})
    .map(([k, v]) => `<li><b>${TW.esc(k)}</b>: ${TW.esc(v)}</li>`).join("");
  box.innerHTML += `<p>Scenario <b>${TW.esc(s.scenario)}</b>, ${TW.esc(s.statistic)},
    ${TW.esc(s.n_samples)} sample(s), allocation ${TW.esc(s.allocation)}.</p>
    <div class="charts">${chartDiv("run-compute")}${chartDiv("run-stranded")}
    ${doc.figures.robots ? chartDiv("run-robots") : ""}</div>
    <h2>Bottleneck timeline</h2><ul>${tl}</ul>`;
  TW.plot("run-compute", doc.figures.compute);
  TW.plot("run-stranded", doc.figures.stranded);
  if (doc.figures.robots) TW.plot("run-robots", doc.figures.robots);
}

function sweep(doc, box) {
  const sp = doc.spec;
  const sobol = doc.figures.sobol || [];
  box.innerHTML += `<p>Scenario <b>${TW.esc(sp.scenario)}</b>: ${TW.num(sp.n_samples)} samples
    (${TW.esc(sp.method)}, seed ${TW.esc(sp.seed)})${doc.finished ? "" :
      " <b>not finished</b>: fan charts from the chunks written so far"}.</p>
    <div class="charts">${chartDiv("run-fan-compute")}
    ${doc.figures.fan_cost ? chartDiv("run-fan-cost") : ""}
    ${doc.figures.crossover ? chartDiv("run-crossover") : ""}
    ${sobol.map((_, i) => chartDiv(`run-sobol-${i}`)).join("")}</div>
    ${doc.finished && !sobol.length ? '<p class="muted">No Sobol\' indices: the sweep was not ' +
      "sampled with --method sobol.</p>" : ""}`;
  TW.plot("run-fan-compute", doc.figures.fan_compute);
  if (doc.figures.fan_cost) TW.plot("run-fan-cost", doc.figures.fan_cost);
  if (doc.figures.crossover) TW.plot("run-crossover", doc.figures.crossover);
  sobol.forEach((f, i) => TW.plot(`run-sobol-${i}`, f));
}

function plan(doc, box) {
  const p = doc.plan;
  const head = Object.entries(p).filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `<tr><th>${TW.esc(k)}</th><td>${TW.esc(TW.num(v))}</td></tr>`).join("");
  const cp = doc.critical_path.activities;
  const sim = doc.simulation ? `<p>Latest simulation: completion after
    ${TW.num(doc.simulation.simulated_makespan_h)} h (planned
    ${TW.num(doc.simulation.planned_makespan_h)} h).</p>` : "";
  box.innerHTML += `<table>${head}</table>${sim}
    <div class="charts">${chartDiv("run-gantt")}${chartDiv("run-profile")}</div>
    <h2>Why did this activity start then?</h2>
    <p>Activity (index or label): <input id="why-activity" size="40"
      value="${TW.esc(cp.length ? cp[cp.length - 1].label : "0")}">
      <button id="why-go">Explain</button></p>
    <div id="why-result"></div>
    <h2>Critical path (${TW.num(doc.critical_path.length)} activities; click one)</h2>
    <table id="critical-path"><tr><th>start h</th><th>finish h</th><th>activity</th>
      <th>phase</th><th>linked by</th></tr>${cp.map((a) => `<tr class="clickable"
      data-label="${TW.esc(a.label)}"><td>${TW.num(a.start_h)}</td><td>${TW.num(a.finish_h)}</td>
      <td>${TW.esc(a.label)}</td><td>${TW.esc(a.phase)}</td><td>${TW.esc(a.linked_by)}</td></tr>`)
      .join("")}</table>`;
  TW.plot("run-gantt", doc.figures.gantt);
  TW.plot("run-profile", doc.figures.profile);
  const input = document.getElementById("why-activity");
  document.getElementById("why-go").addEventListener("click", () => why(doc.id, input.value));
  for (const tr of box.querySelectorAll("#critical-path tr.clickable")) {
    tr.addEventListener("click", () => {
      input.value = tr.dataset.label;
      why(doc.id, tr.dataset.label);
    });
  }
}

async function why(id, activity) {
  const out = document.getElementById("why-result");
  try {
    const w = await TW.api(`/api/runs/${encodeURIComponent(id)}/why?activity=` +
      encodeURIComponent(activity.trim()));
    const reasons = w.reasons.map((r) => {
      const extra = Object.entries(r).filter(([k]) => !["reason", "binding"].includes(k))
        .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(", ") : TW.num(v)}`).join("; ");
      return `<li>${r.binding ? "<b>binding</b>: " : ""}${TW.esc(r.reason)}` +
        `${extra ? ` <span class="muted">(${TW.esc(extra)})</span>` : ""}</li>`;
    }).join("");
    out.innerHTML = `<p><b>${TW.esc(w.label)}</b> (${TW.esc(w.phase)}, crew ${w.crew}): ready at
      hour ${TW.num(w.ready_h)}, started at ${TW.num(w.start_h)}, finished at
      ${TW.num(w.finish_h)}.</p><ul id="why-reasons">${reasons}</ul>`;
    TW.error("");
  } catch (e) {
    TW.error(e.message);
  } finally {
    runs.whys += 1;
  }
}

async function show(id) {
  const box = document.getElementById("detail");
  runs.shown = null;
  if (!id) { box.innerHTML = ""; return; }
  box.innerHTML = `<h2>${TW.esc(id)}</h2><p class="muted">loading…</p>`;
  try {
    const doc = await TW.api(`/api/runs/${encodeURIComponent(id)}`);
    const report = doc.report ? ` <a href="/runs/${encodeURIComponent(id)}/report.html"
      target="_blank">full report</a>` : "";
    box.innerHTML = `<h2>${TW.esc(id)} <span class="muted">(${TW.esc(doc.kind)})</span>${report}
      </h2>`;
    ({"stack": stack, "sweep": sweep, "fleet-plan": plan})[doc.kind](doc, box);
    runs.kind = doc.kind;
    runs.shown = id;
    TW.error("");
  } catch (e) {
    box.innerHTML = "";
    TW.error(e.message);
  }
}

async function list() {
  const doc = await TW.api("/api/runs");
  const body = document.querySelector("#runs tbody");
  body.innerHTML = doc.runs.length ? doc.runs.map((r) => `<tr class="clickable"
      data-id="${TW.esc(r.id)}"><td><a href="?id=${encodeURIComponent(r.id)}">${TW.esc(r.id)}</a>
      </td><td>${TW.esc(r.kind)}</td><td>${TW.esc(r.modified)}</td><td>${r.report
      ? `<a href="/runs/${encodeURIComponent(r.id)}/report.html" target="_blank">report</a>`
      : "–"}</td></tr>`).join("")
    : '<tr><td colspan="4" class="muted">No run folders yet.</td></tr>';
  for (const tr of body.querySelectorAll("tr.clickable")) {
    tr.querySelector("a").addEventListener("click", (e) => {
      e.preventDefault();
      history.pushState({}, "", `?id=${encodeURIComponent(tr.dataset.id)}`);
      show(tr.dataset.id);
    });
  }
}

window.addEventListener("popstate", () => show(new URLSearchParams(location.search).get("id")));

async function main() {
  await list();
  await show(new URLSearchParams(location.search).get("id"));
}

main().catch((e) => TW.error(e.message));
