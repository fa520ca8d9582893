// terawatt serve: the scenario explorer (POST /api/explore on every change).
"use strict";

const state = {
  scenario: null,     // packaged scenario name
  rows: {},           // key -> assumption row of the scenario (GET /api/assumptions)
  values: {},         // key -> override (number in the key's unit, or text with a unit)
  updates: 0,         // finished chart updates (read by the browser tests)
};
window.twExplorer = state;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const CHARTS = {
  compute: "chart-compute", bottleneck: "chart-bottleneck", stranded: "chart-stranded",
  robots: "chart-robots", cost_w_yr: "chart-cost-w-yr", cost_mtok: "chart-cost-mtok",
};

function rangeText(a) {
  const r = a.low !== null && a.high !== null ? `range ${TW.num(a.low)}–${TW.num(a.high)}`
    : "no published range";
  const lo = a.min === null ? "−∞" : TW.num(a.min);
  const hi = a.max === null ? "∞" : TW.num(a.max);
  return `${r} ${TW.esc(a.unit)} · allowed ${lo}…${hi}`;
}

function sourceHtml(a) {
  const s = a.source;
  const title = TW.esc(`${s.title} (${s.publisher}, ${s.year})`);
  const set = a.set_by ? ` · set by ${TW.esc(a.set_by)}` : "";
  return s.link ? `<a href="${TW.esc(s.link)}" target="_blank" rel="noopener">${title}</a>${set}`
    : `${title}${set}`;
}

function addRow(a, removable) {
  const box = document.getElementById("sliders");
  if (box.querySelector(`[data-key="${CSS.escape(a.key)}"]`)) return;
  const div = document.createElement("div");
  div.className = "input";
  div.dataset.key = a.key;
  const s = a.slider;
  div.innerHTML = `
    <div class="name" title="${TW.esc(a.note)}">${TW.esc(a.key)}
      <span class="unit">[${TW.esc(a.unit)}]</span>
      ${removable ? '<button class="remove" title="remove">×</button>' : ""}</div>
    <div class="row">
      <input type="range" min="${s.lo}" max="${s.hi}" step="${s.step || "any"}"
             value="${a.value}" aria-label="${TW.esc(a.key)}">
      <input type="text" class="value" value="${a.value}" aria-label="${TW.esc(a.key)} value">
    </div>
    <div class="meta">${rangeText(a)}</div>
    <div class="meta">source: ${sourceHtml(a)}</div>`;
  const range = div.querySelector("input[type=range]");
  const text = div.querySelector("input[type=text]");
  range.addEventListener("input", () => {
    text.value = range.value;
    setValue(a.key, Number(range.value));
  });
  text.addEventListener("change", () => {
    const t = text.value.trim();
    if (!t) {  // an emptied box: back to the current value
      text.value = a.key in state.values ? state.values[a.key] : a.value;
      return;
    }
    const v = NUMBER.test(t) ? Number(t) : t;
    if (typeof v === "number") range.value = v;
    setValue(a.key, v);
  });
  const rm = div.querySelector("button.remove");
  if (rm) {
    rm.addEventListener("click", () => {
      delete state.values[a.key];
      div.remove();
      update();
    });
  }
  box.appendChild(div);
}

function setValue(key, v) {
  const row = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (v === state.rows[key].value) {
    delete state.values[key];
    row.classList.remove("changed");
  } else {
    state.values[key] = v;
    row.classList.add("changed");
  }
  update();
}

function facts(doc) {
  const years = doc.stack.years;
  const last = years[years.length - 1];
  const c = doc.costs;
  const f = doc.stack.robot_factory;
  const items = [
    [`orbit ${last.year}`, `${TW.num(last.orbital_compute_w / 1e9)} GW`],
    [`ground ${last.year}`, `${TW.num(last.terrestrial_compute_w / 1e9)} GW`],
    [`stranded ${last.year}`, `${TW.num(last.stranded_accelerators / 1e6)} M accelerators`],
    ["crossover (orbit ≤ ground)", c.crossover_year === null ? `none by ${last.year}`
      : c.crossover_year.toFixed(1)],
    ["satellite W/kg", TW.num(c.specific_power_w_per_kg)],
  ];
  if (f) items.push(["robot factory (fleet plan)",
    `${TW.num(f.build_time_s / 86400)} d, crew ${TW.num(f.crew)}`]);
  if (last.robots !== undefined) items.push([`robots ${last.year}`,
    `${TW.num(last.robots / 1e6)} M`]);
  document.getElementById("facts").innerHTML = items.map(
    ([k, v]) => `<div><span class="muted">${TW.esc(k)}</span><b>${TW.esc(v)}</b></div>`).join("");
}

function nowTable(doc) {
  const rows = doc.stack.add_most_compute_now;
  document.getElementById("now").innerHTML =
    "<tr><th>constraint</th><th>extra compute in the first quarter [MW]</th></tr>" +
    rows.map((r) => `<tr><td>${TW.esc(r.constraint)}</td><td>${TW.num(r.gain_w / 1e6)}</td></tr>`)
      .join("");
}

const update = TW.latest(async () => {
  const t0 = performance.now();
  const body = {scenario: state.scenario, values: Object.assign({}, state.values)};
  try {
    const doc = await TW.api("/api/explore", body);
    for (const [name, id] of Object.entries(CHARTS)) TW.plot(id, doc.figures[name]);
    facts(doc);
    nowTable(doc);
    const t = doc.timing_ms;
    document.getElementById("status").textContent =
      `${doc.scenario}, ${Object.keys(body.values).length} change(s): stack ${t.stack} ms, ` +
      `with costs ${t.model} ms, with charts ${t.total} ms on the server; ` +
      `${Math.round(performance.now() - t0)} ms until drawn`;
    TW.error("");
    markBad("");
  } catch (e) {
    TW.error(e.message);
    markBad(e.message);
  } finally {
    state.updates += 1;
  }
});

/** Highlight the input rows whose key a refusal names. */
function markBad(msg) {
  for (const row of document.querySelectorAll("#sliders .input")) {
    row.classList.toggle("bad", msg.includes(`'${row.dataset.key}'`));
  }
}

async function loadScenario(extraKeys) {
  const doc = await TW.api(`/api/assumptions?scenario=${encodeURIComponent(state.scenario)}`);
  state.rows = {};
  state.values = {};
  const list = document.getElementById("all-keys");
  list.innerHTML = "";
  for (const a of doc.assumptions) {
    state.rows[a.key] = a;
    const o = document.createElement("option");
    o.value = a.key;
    list.appendChild(o);
  }
  document.getElementById("sliders").innerHTML = "";
  for (const a of doc.assumptions) if (a.featured) addRow(a, false);
  for (const k of extraKeys || []) if (state.rows[k]) addRow(state.rows[k], true);
  update();
}

async function save() {
  const name = document.getElementById("save-name").value.trim();
  const description = document.getElementById("save-desc").value;
  const r = await fetch("/api/scenario-toml", {
    method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({scenario: state.scenario, values: state.values, name, description}),
  });
  if (!r.ok) {
    const doc = await r.json().catch(() => ({error: r.statusText}));
    TW.error(doc.error);
    return;
  }
  const text = await r.text();
  const pre = document.getElementById("save-toml");
  pre.textContent = text;
  pre.hidden = false;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], {type: "application/toml"}));
  a.download = `${name}.toml`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  TW.error("");
}

async function main() {
  const params = new URLSearchParams(location.search);
  const select = document.getElementById("scenario");
  const {chosen, scenarios} = await TW.scenarios(select, params.get("scenario"));
  state.scenario = chosen;
  const describe = () => {
    const s = scenarios.find((x) => x.name === state.scenario);
    document.getElementById("scenario-desc").textContent = s ? s.description : "";
  };
  describe();
  select.addEventListener("change", () => {
    state.scenario = select.value;
    describe();
    loadScenario([]);
  });
  document.getElementById("add").addEventListener("click", () => {
    const k = document.getElementById("add-key").value.trim();
    if (state.rows[k]) addRow(state.rows[k], true);
    else TW.error(`unknown assumption key ${JSON.stringify(k)}; pick one from the list`);
  });
  document.getElementById("reset").addEventListener("click", () => loadScenario([]));
  document.getElementById("save").addEventListener("click", save);
  await loadScenario(params.getAll("key"));
}

main().catch((e) => TW.error(e.message));
