// terawatt serve: helpers shared by every page (fetching the JSON API, charts, numbers).
"use strict";

const TW = {
  /** GET (no body) or POST (JSON body) to the API; throws Error(one-line message) on 4xx/5xx. */
  async api(path, body) {
    const opt = body === undefined ? {} : {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
    };
    const r = await fetch(path, opt);
    let doc = null;
    try { doc = await r.json(); } catch (e) { doc = {error: `${r.status} ${r.statusText}`}; }
    if (!r.ok) throw new Error(doc.error || `${r.status} ${r.statusText}`);
    return doc;
  },

  /** Draw (or redraw in place) a Plotly figure {data, layout} into the element with id. */
  plot(id, fig) {
    const el = document.getElementById(id);
    if (!el || !fig) return;
    const layout = Object.assign({}, fig.layout, {autosize: true});
    delete layout.width;
    Plotly.react(el, fig.data, layout, {responsive: true, displaylogo: false});
  },

  /** A number for people: thousands separators, 4 significant digits, exponent when huge. */
  num(x) {
    if (x === null || x === undefined) return "–";
    if (typeof x !== "number") return String(x);
    const a = Math.abs(x);
    if (a !== 0 && (a >= 1e9 || a < 1e-3)) return x.toExponential(3);
    if (a >= 1000) return x.toLocaleString("en-US", {maximumFractionDigits: 0});
    return Number(x.toPrecision(4)).toString();
  },

  esc(s) {
    return String(s ?? "").replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
  },

  /** Show a one-line error from the API (or clear it with an empty message). */
  error(msg) {
    const el = document.getElementById("error");
    if (el) el.textContent = msg || "";
  },

  /** Fill a <select> with the packaged scenarios; returns the chosen name. */
  async scenarios(select, chosen) {
    const doc = await TW.api("/api/scenarios");
    select.innerHTML = "";
    for (const s of doc.scenarios) {
      const o = document.createElement("option");
      o.value = s.name;
      o.textContent = s.name;
      o.title = s.description;
      select.appendChild(o);
    }
    select.value = chosen || doc.default;
    return {chosen: select.value, scenarios: doc.scenarios};
  },

  /** Runs of the same verdict colour, as the report uses. */
  verdictColour: {
    "consistent": "#2e7d32", "inconsistent": "#c62828", "conditional": "#f9a825",
    "input": "#1565c0", "not-checkable": "#757575",
  },

  verdict(v) {
    return `<span class="verdict v-${TW.esc(v)}">${TW.esc(v)}</span>`;
  },

  /** Run fn at most once at a time; calls made meanwhile collapse into one follow-up call. */
  latest(fn) {
    let running = false;
    let again = false;
    const go = async () => {
      if (running) { again = true; return; }
      running = true;
      try { await fn(); } finally {
        running = false;
        if (again) { again = false; go(); }
      }
    };
    return go;
  },
};
