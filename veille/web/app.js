// veille dashboard. Plain JavaScript, no framework, nothing fetched from elsewhere.
// Every piece of data reaches the page as text nodes or through setAttribute, never parsed as markup:
// article text is untrusted.
"use strict";

(() => {
  const view = document.getElementById("view");
  let meta = null;
  let renderToken = 0;

  // -- DOM helpers --------------------------------------------------------------------------------
  const SVG_NS = "http://www.w3.org/2000/svg";

  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function setProps(el, props) {
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "on") {
        for (const [name, fn] of Object.entries(value)) el.addEventListener(name, fn);
      } else if (key === "class") {
        el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
      } else if (key === "dataset") {
        Object.assign(el.dataset, value);
      } else if (key.startsWith("on")) {
        throw new Error("event handlers go in `on`");
      } else if (key === "value" || key === "checked" || key === "selected" || key === "hidden") {
        el[key] = value;
      } else {
        el.setAttribute(key, value === true ? "" : String(value));
      }
    }
    return el;
  }

  function h(tag, props, ...children) {
    return append(setProps(document.createElement(tag), props), children);
  }

  function s(tag, props, ...children) {
    return append(setProps(document.createElementNS(SVG_NS, tag), props), children);
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  // -- navigation ---------------------------------------------------------------------------------
  // The page of one event or figure also answers at #/events/ID and #/figures/ID: the alerts' Atom
  // feeds link there.
  const ONE = { events: "event", figures: "figure" };

  function route() {
    const hash = location.hash.replace(/^#\/?/, "");
    const [path, query] = hash.split("?", 2);
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    const name = parts[0] || "timeline", id = parts.slice(1).join("/") || null;
    return { name: id && ONE[name] || name, id, params: new URLSearchParams(query || "") };
  }

  function link(name, id, params) {
    let out = "#/" + name + (id ? "/" + encodeURIComponent(id) : "");
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") q.set(k, v);
    const qs = q.toString();
    return qs ? out + "?" + qs : out;
  }

  function go(name, id, params) {
    location.hash = link(name, id, params);
  }

  function externalUrl(url) {
    try {
      const u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  // -- API ----------------------------------------------------------------------------------------
  class ApiError extends Error {}

  function apiUrl(path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") q.set(k, v);
    return "/api/" + path + (q.toString() ? "?" + q.toString() : "");
  }

  async function api(path, params) {
    const url = apiUrl(path, params);
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" } });
    } catch (e) {
      throw new ApiError("the server cannot be reached");
    }
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const body = await response.json();
        detail = typeof body.detail === "string" ? body.detail
          : (body.detail || []).map((d) => (d.loc || []).slice(-1)[0] + ": " + d.msg).join("; ");
      } catch (e) { /* not JSON */ }
      const err = new ApiError(detail || "error " + response.status);
      err.status = response.status;
      throw err;
    }
    return response.json();
  }

  function loading(what) {
    return h("p", { class: "state loading", role: "status" }, "Loading " + what + "…");
  }

  function empty(message) {
    return h("p", { class: "state empty" }, message);
  }

  function failure(err) {
    const message = err && err.status === 404 ? "Not found: " + err.message : "Could not load: " + (err && err.message || err);
    return h("p", { class: "state error", role: "alert" }, message);
  }

  // Load into `slot`, showing a loading state, then `paint(data)`, an empty state or the error.
  async function fill(slot, what, load, paint) {
    const token = renderToken;
    clear(slot).appendChild(loading(what));
    try {
      const data = await load();
      if (token !== renderToken) return;
      clear(slot);
      append(slot, [paint(data)]);
    } catch (err) {
      if (token !== renderToken) return;
      clear(slot).appendChild(failure(err));
    }
  }

  // -- formatting ---------------------------------------------------------------------------------
  function amount(value, unit) {
    if (value === null || value === undefined) return "?";
    const u = unit || "";
    const abs = Math.abs(value);
    if (u !== "%" && u !== "x") {
      for (const [size, word] of [[1e12, "tn"], [1e9, "bn"], [1e6, "m"]]) {
        if (abs >= size) return (value / size).toPrecision(4).replace(/\.?0+$/, "") + " " + word + " " + u;
      }
    }
    const shown = Number.isInteger(value) ? value.toLocaleString("en") : value.toPrecision(4).replace(/\.?0+$/, "");
    return u === "%" ? shown + " %" : u === "x" ? "×" + shown : (shown + " " + u).trim();
  }

  function lastDay(year, month) {
    return new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  }

  // A period as a reader says it: 2023, 2023-05, 2023 Q2, or begin → end.
  function period(p) {
    if (!p || !p.begin) return "undated";
    if (!p.end || p.begin === p.end) return p.begin;
    const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p.begin), e = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p.end);
    if (b && e && b[1] === e[1] && b[3] === "01" && Number(e[3]) === lastDay(e[1], e[2])) {
      if (b[2] === "01" && e[2] === "12") return b[1];
      if (b[2] === e[2]) return b[1] + "-" + b[2];
      if ((Number(b[2]) - 1) % 3 === 0 && Number(e[2]) === Number(b[2]) + 2) return b[1] + " Q" + ((Number(b[2]) + 2) / 3);
    }
    return p.begin + " → " + p.end;
  }

  function parties(actor, recipient) {
    const a = (actor || []).join(" + ");
    return recipient && recipient.length ? a + " → " + recipient.join(" + ") : a;
  }

  // Who, not only which state: the people and bodies behind an event's codes (named_parties),
  // actors → recipients, each a link to its entity page; those of no side after a "·".
  // Plain text where it sits inside a button (an event card's head), links elsewhere.
  function who(named, linked = true) {
    const names = (side) => (named || []).filter((n) => n.side === side)
      .map((n) => linked ? h("a", { href: link("entity", n.id), title: n.type + (n.sources ? " · named by " + plural(n.sources, "source") : "") }, n.name)
        : h("span", null, n.name));
    const joined = (list) => list.flatMap((a, i) => (i ? [", ", a] : [a]));
    const actors = names("actor"), recipients = names("recipient"), others = names("named");
    if (!actors.length && !recipients.length && !others.length) return null;
    return h("span", { class: "who" },
      joined(actors), recipients.length ? [actors.length ? " → " : "→ ", joined(recipients)] : null,
      others.length ? [(actors.length || recipients.length) ? " · " : "", joined(others)] : null);
  }

  function places(list, directed) {
    const shown = (list || []).filter(Boolean);
    return shown.join(directed ? " → " : " + ") || "no place";
  }

  const PLURALS = { series: "series", entity: "entities" };

  function plural(n, word) {
    return n.toLocaleString("en") + " " + (n === 1 ? word : PLURALS[word] || word + "s");
  }

  // A time the watcher recorded (ISO, UTC) to the minute: 2024-06-03 14:05 UTC.
  function moment(iso, none) {
    return iso ? iso.replace("T", " ").slice(0, 16) + " UTC" : none;
  }

  // A polling period as `veille watch --every` takes it: 30s, 15m, 1h, 1d.
  function every(seconds) {
    for (const [size, unit] of [[86400, "d"], [3600, "h"], [60, "m"]]) {
      if (seconds >= size && seconds % size === 0) return seconds / size + unit;
    }
    return seconds + "s";
  }

  // -- shared pieces ------------------------------------------------------------------------------
  function pager(data, onPage) {
    const first = data.total ? data.offset + 1 : 0;
    const last = data.offset + data.items.length;
    return h("div", { class: "pager" },
      h("span", { class: "muted" }, first.toLocaleString("en") + "–" + last.toLocaleString("en") + " of " + data.total.toLocaleString("en")),
      h("button", { class: "secondary", type: "button", disabled: data.offset === 0, "aria-label": "Previous page",
        on: { click: () => onPage(Math.max(0, data.offset - data.limit)) } }, "←"),
      h("button", { class: "secondary", type: "button", disabled: last >= data.total, "aria-label": "Next page",
        on: { click: () => onPage(data.offset + data.limit) } }, "→"));
  }

  function select(name, label, options, current, noAll) {
    return h("label", null, label,
      h("select", { name, "aria-label": label },
        noAll ? null : h("option", { value: "" }, "all"),
        options.map(([value, text]) => h("option", { value, selected: value === current }, text))));
  }

  // A filter field, empty unless the URL sets it; its placeholder is a hint ("e.g. CHN,RUS", styled
  // apart in style.css), never a value.
  function input(name, label, current, attrs) {
    const props = Object.assign({ name, value: current || "", "aria-label": label }, attrs || {});
    if (props.placeholder) props.placeholder = "e.g. " + props.placeholder;
    return h("label", null, label, h("input", props));
  }

  // The entity a list is filtered on, shown by its name (asked of the API), its id kept in a hidden
  // field for the form; × takes the filter off.
  function entityFilter(id, routeName, params) {
    const name = h("b", { class: "entity-name", title: id }, "…");
    api("entities/" + encodeURIComponent(id)).then((e) => { name.textContent = e.name || id; })
      .catch(() => { name.textContent = id + " (unknown entity)"; });
    const rest = Object.fromEntries(params);
    delete rest.entity;
    delete rest.offset;
    return h("div", { class: "entity-filter" }, h("span", null, "Entity"),
      h("span", { class: "chip" }, name, " ",
        h("a", { href: link(routeName, null, rest), class: "remove", title: "Take this filter off", "aria-label": "Take the entity filter off" }, "×")),
      h("input", { type: "hidden", name: "entity", value: id }));
  }

  function filterForm(fields, params, routeName) {
    const form = h("form", { class: "filters", role: "search", "aria-label": "Filters" }, fields,
      h("button", { type: "submit" }, "Apply"),
      h("button", { type: "button", class: "secondary", on: { click: () => go(routeName) } }, "Reset"));
    const apply = (event) => {
      if (event) event.preventDefault();
      const next = {};
      for (const el of form.elements) if (el.name && el.value) next[el.name] = el.value.trim();
      go(routeName, null, next);
    };
    form.addEventListener("submit", apply);
    for (const el of form.querySelectorAll("select")) el.addEventListener("change", apply);
    return form;
  }

  // The filters of a list view: the values the URL gives for `keys`, those that are set.
  function filtersOf(params, keys) {
    const filters = {};
    for (const key of keys) if (params.get(key)) filters[key] = params.get(key);
    return filters;
  }

  // The line above a page of items: how many in all, the links to download them (`files`), and the
  // pager to the pages of the same query.
  function summaryLine(data, label, routeName, id, query, labelAttrs, files) {
    return h("div", { class: "summary-line" }, h("span", labelAttrs || null, label), files,
      pager(data, (o) => go(routeName, id, Object.assign({}, query, { offset: o || "" }))));
  }

  // Every item of the API list `path` with these filters, as a file: CSV for a spreadsheet, Parquet
  // for a notebook.
  function downloads(path, filters, label) {
    const file = (format) => h("a", { href: apiUrl(path, Object.assign({}, filters, { format })), download: "",
      class: "download", dataset: { format } }, format === "csv" ? "CSV" : "Parquet");
    return h("span", { class: "downloads", dataset: { list: path } }, (label || "Download") + " ", file("csv"), " · ",
      file("parquet"));
  }

  // A view of one list of the API: its filter form, then a page of 50 items with the pager.
  // `fields(filters)` makes the form's fields, `table(items)` shows a page.
  function listView(r, { route, title, keys, fields, noun, table }) {
    const p = r.params;
    const filters = filtersOf(p, keys);
    const offset = Number(p.get("offset") || 0);
    const slot = h("div");
    append(view, [h("h1", null, title), filterForm(fields(filters), p, route), slot]);
    fill(slot, route, () => api(route, Object.assign({ limit: 50, offset }, filters)), (data) => {
      if (!data.items.length) return empty("No " + noun + " matches.");
      return [summaryLine(data, plural(data.total, noun), route, null, filters, null, downloads(route, filters)),
        table(data.items)];
    });
  }

  // On a narrow screen the rows of `table` become cards (style.css: table.stack), each cell under
  // the name of its column.
  function stacked(table) {
    const heads = [...table.tHead.rows[0].cells].map((th) => th.textContent);
    for (const row of table.tBodies[0].rows) [...row.cells].forEach((td, i) => { td.dataset.label = heads[i]; });
    table.classList.add("stack");
    return table;
  }

  function evidence(sentence, highlight) {
    const quote = h("blockquote", { class: "evidence" });
    const text = sentence || "";
    const at = highlight ? text.indexOf(highlight) : -1;
    if (at < 0) return append(quote, ["« " + text + " »"]);
    return append(quote, ["« " + text.slice(0, at), h("mark", null, highlight), text.slice(at + highlight.length) + " »"]);
  }

  function sourceItem(src) {
    const at = src.evidence_start !== null && src.evidence_start !== undefined
      ? { s: src.evidence_start, e: src.evidence_end } : {};
    return h("li", { class: "source" },
      h("div", { class: "source-meta" },
        h("b", null, src.outlet || src.source || "source"),
        src.published ? h("span", null, src.published) : null,
        src.claim_source && src.claim_source !== src.outlet ? h("span", null, "says: " + src.claim_source) : null,
        src.status && src.status !== "occurred" ? h("span", { class: "badge muted" }, src.status) : null,
        h("a", { href: link("article", src.article_id, at), class: "to-article" }, "open the article at this sentence")),
      src.title ? h("div", { class: "muted" }, src.title) : null,
      evidence(src.evidence));
  }

  function eventCard(ev, startOpen) {
    const body = h("div", { class: "event-body", hidden: !startOpen },
      h("div", { class: "facts" },
        h("span", null, "Type ", h("b", null, ev.type + (ev.mode ? " (" + ev.mode + ")" : ""))),
        h("span", null, "Status ", h("b", null, ev.status)),
        (ev.named_parties || []).length ? h("span", null, "Who ", who(ev.named_parties)) : null,
        ev.location ? h("span", null, "Place ", h("b", null, ev.location)) : null,
        ev.count ? h("span", null, "Count ", h("b", null, String(ev.count))) : null,
        h("span", null, "Confidence ", h("b", null, ev.confidence.toFixed(2))),
        h("a", { href: link("event", ev.event_id) }, "event page")),
      h("h3", null, plural(ev.sources.length, "source") + " and the sentences they were read from"),
      h("ul", { class: "sources" }, ev.sources.map(sourceItem)));
    const head = h("button", { class: "event-head", type: "button", "aria-expanded": String(!!startOpen),
      on: { click: () => { body.hidden = !body.hidden; head.setAttribute("aria-expanded", String(!body.hidden)); } } },
      h("span", { class: "date" }, ev.date ? period(ev.date) : "undated"),
      h("span", null, h("span", { class: "badge type" }, ev.type)),
      h("span", { class: "what" },
        h("span", { class: "parties" }, parties(ev.actor, ev.recipient)),
        who(ev.named_parties, false),
        ev.mode ? h("span", { class: "chip" }, ev.mode) : null,
        ev.status !== "occurred" ? h("span", { class: "badge muted status-" + ev.status }, ev.status) : null,
        ev.location ? h("span", { class: "muted" }, "· " + ev.location) : null,
        (ev.sectors || []).map((sector) => h("span", { class: "chip" }, sector))),
      h("span", { class: "count" }, plural(ev.source_count, "source") + " (" + ev.independent_sources + " indep.)"));
    return h("li", { class: "card event", dataset: { eventId: ev.event_id, type: ev.type } }, head, body);
  }

  // An event as one article reports it, shaped like a fused event (the timeline without fusion tables).
  function asFused(ev) {
    return {
      event_id: ev.event_id || ev.article_id + ":" + ev.idx, type: ev.type, mode: ev.mode, status: ev.status,
      actor: ev.actor, recipient: ev.recipient, named_parties: ev.named_parties, date: ev.date, location: ev.location,
      sectors: ev.sectors, count: ev.count, confidence: ev.confidence || 0, source_count: 1, independent_sources: 1,
      sources: [{ article_id: ev.article_id, outlet: ev.article.outlet || ev.article.source, published: ev.article.published,
        title: ev.article.title, evidence: ev.evidence_text, evidence_start: ev.evidence ? ev.evidence[0] : null,
        evidence_end: ev.evidence ? ev.evidence[1] : null, status: ev.status }],
    };
  }

  // Events over a true time axis: a slot for every month from the first to the last (empty months
  // too, at zero), ticks at each year. Events known only to the year (or to a period longer than a
  // month: `precision` "year" in /api/events/months) are not put in January: each year's are drawn
  // as one hatched band across the whole year, behind its months, on the same scale.
  function histogram(rows, params, width) {
    if (!rows.length) return null;
    const monthly = rows.filter((m) => m.precision !== "year"), yearly = rows.filter((m) => m.precision === "year");
    const index = (ym) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
    const starts = monthly.map((m) => index(m.month)).concat(yearly.map((y) => index(y.month + "-01")));
    const ends = monthly.map((m) => index(m.month)).concat(yearly.map((y) => index(y.month + "-12")));
    const first = Math.min(...starts), slots = Math.max(...ends) - first + 1;
    const height = 96, top = 4, axis = 16, base = height - axis;
    const step = (width - 2) / slots;
    const max = Math.max(...rows.map((m) => m.events));
    const tall = (n) => n ? Math.max(2, (base - top) * n / max) : 0;
    const name = (i) => String(Math.floor((first + i) / 12)) + "-" + String((first + i) % 12 + 1).padStart(2, "0");
    const pick = (since, until) => () => go("timeline", null, Object.assign(Object.fromEntries(params), { since, until, offset: "" }));
    const counts = Object.fromEntries(monthly.map((m) => [m.month, m.events]));
    const bands = yearly.map((y) => {
      const x = 1 + (index(y.month + "-01") - first) * step;
      return s("rect", { class: "year-band", x, y: base - tall(y.events), width: 12 * step, height: tall(y.events),
        dataset: { year: y.month, events: String(y.events) }, on: { click: pick(y.month, y.month) } },
      s("title", null, y.month + ": " + plural(y.events, "event") + " known only to the year, or to a longer period"));
    });
    const bars = Array.from({ length: slots }, (_, i) => {
      const month = name(i), n = counts[month] || 0;
      return s("rect", { class: n ? "bar" : "bar empty", x: 1 + i * step + 0.5, y: base - tall(n), width: Math.max(1, step - 1),
        height: tall(n), dataset: { month, events: String(n) }, on: n ? { click: pick(month, month) } : null },
      s("title", null, month + ": " + plural(n, "event")));
    });
    const years = [];
    for (let i = 0; i < slots; i++) if ((first + i) % 12 === 0 || i === 0) years.push(i);
    let free = 0;                                     // where the next year's label may start
    const ticks = years.map((i) => {
      const x = 1 + i * step, at = Math.min(x + 2, width - 26), shown = at >= free;
      if (shown) free = at + 32;
      return [s("line", { class: "tick", x1: x, x2: x, y1: base, y2: base + 4 }),
        shown ? s("text", { class: "year", x: at, y: height - 3 }, name(i).slice(0, 4)) : null];
    });
    const svg = s("svg", { viewBox: "0 0 " + width + " " + height, width, height, role: "img",
      "aria-label": "Events per month, " + name(0) + " to " + name(slots - 1) },
    s("defs", null, s("pattern", { id: "year-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      s("rect", { width: 6, height: 6, fill: "#f7eedd" }), s("rect", { width: 2, height: 6, fill: "#c9953a" }))),
    bands, bars, s("line", { class: "baseline", x1: 0, x2: width, y1: base, y2: base }), ticks);
    const legend = h("div", { class: "histogram-legend" },
      h("span", null, h("span", { class: "key bar" }), "events dated to the day or the month"),
      yearly.length ? h("span", null, h("span", { class: "key year-band" }), "events known only to the year (or a longer period), across it") : null,
      h("span", { class: "muted" }, "one slot per month, empty ones too"));
    return h("div", { class: "histogram" }, svg, legend);
  }

  // -- views --------------------------------------------------------------------------------------
  const views = {};

  views.timeline = (r) => {
    const p = r.params;
    const fused = meta.fusion;
    const filters = filtersOf(p, ["type", "parties", "sector", "since", "until", "source", "entity", "status", "order"]);
    const offset = Number(p.get("offset") || 0);
    const partiesList = h("datalist", { id: "parties-list" }, meta.parties.map((x) => h("option", { value: x.code })));
    const form = filterForm([
      input("parties", "Parties (all of)", filters.parties, { list: "parties-list", placeholder: "CHN,RUS", size: 12 }),
      partiesList,
      select("type", "PLOVER type", meta.types.filter((t) => t.events).map((t) => [t.type, t.type + " (" + t.events + ")"]), filters.type),
      select("sector", "Sector", meta.sectors.filter((x) => x.events).map((x) => [x.sector, x.sector + " (" + x.events + ")"]), filters.sector),
      input("since", "From", filters.since, { placeholder: "2023-01", size: 10, pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?" }),
      input("until", "To", filters.until, { placeholder: "2024-12-31", size: 10, pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?" }),
      select("source", "Outlet", meta.outlets.map((o) => [o.outlet, o.outlet]), filters.source),
      select("order", "Order", [["date_desc", "newest first"], ["date_asc", "oldest first"], ["sources", "most reported"]], filters.order, true),
      filters.entity ? entityFilter(filters.entity, "timeline", p) : null,
    ], p, "timeline");
    const hist = h("div", { id: "histogram" });
    const list = h("div", { id: "events" });
    append(view, [h("h1", null, fused ? "Timeline of events" : "Timeline of events (as each article reports them)"), form, hist, list]);
    // the histogram counts what the filters select; the list's order is no filter of it
    const { order: _order, ...counted } = filters;
    api("events/months", counted).then((rows) => {
      append(hist, [histogram(rows, p, Math.max(280, Math.floor(hist.clientWidth) - 14))]);
    }).catch(() => {});
    fill(list, "events", () => api(fused ? "events" : "article-events", Object.assign({ limit: 50, offset }, filters)), (data) => {
      if (!data.items.length) return empty("No event matches these filters.");
      const items = fused ? data.items : data.items.map(asFused);
      return [summaryLine(data, plural(data.total, "event"), "timeline", null, filters, { id: "event-total" },
        [downloads(fused ? "events" : "article-events", filters), downloads("event-sources", filters, "One row per source:")]),
        h("ul", { class: "cards", id: "event-list" }, items.map((ev) => eventCard(ev, false)))];
    });
  };

  views.event = (r) => {
    const slot = h("div");
    append(view, [slot]);
    fill(slot, "the event", () => api("events/" + encodeURIComponent(r.id)), (ev) => [
      h("h1", null, ev.type + (ev.mode ? " (" + ev.mode + ")" : "") + ": " + parties(ev.actor, ev.recipient)),
      h("div", { class: "facts" },
        h("span", null, "Date ", h("b", null, period(ev.date))),
        h("span", null, "Reported ", h("b", null, (ev.first_reported || "?") + (ev.last_reported && ev.last_reported !== ev.first_reported ? " → " + ev.last_reported : ""))),
        h("span", null, "Sources ", h("b", null, ev.source_count + " (" + ev.independent_sources + " independent)")),
        h("a", { href: link("timeline", null, { parties: ev.actor.concat(ev.recipient).join(","), type: ev.type }) }, "same type and parties on the timeline")),
      h("ul", { class: "cards" }, eventCard(ev, true)),
    ]);
  };

  // An SVG line chart of one series; each point links to its figure group (and its sentences).
  // The value axis always holds zero, drawn as its own line: a point below zero is drawn below it,
  // however many of the values are negative.
  function chart(series) {
    const width = 420, height = 190, left = 62, right = 16, top = 12, bottom = 34;
    const pts = series.points.filter((pt) => pt.value !== null);
    if (!pts.length) return h("p", { class: "muted no-chart" }, "No point to draw in " + (series.unit || "its unit") + ": see the values below.");
    const values = pts.flatMap((pt) => [pt.value].concat((pt.positions || []).map((x) => x.value))).filter((v) => v !== null);
    let lo = Math.min(0, ...values), hi = Math.max(0, ...values);
    if (lo === hi) hi = 1;
    const time = (pt) => Date.parse(pt.period.begin) + (Date.parse(pt.period.end || pt.period.begin) - Date.parse(pt.period.begin)) / 2;
    const t0 = Math.min(...pts.map(time)), t1 = Math.max(...pts.map(time));
    const inset = 14;
    const x = (pt) => t0 === t1 ? left + (width - left - right) / 2
      : left + inset + (width - left - right - 2 * inset) * (time(pt) - t0) / (t1 - t0);
    const y = (v) => top + (height - top - bottom) * (1 - (v - lo) / (hi - lo));
    const ticks = [...new Set([lo, 0, hi, lo < 0 && hi > 0 ? null : (lo + hi) / 2])].filter((v) => v !== null);
    const svg = s("svg", { viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": series.metric + " " + places(series.places, series.directed) + " over time" },
      ticks.map((v) => [s("line", { class: "grid", x1: left, x2: width - right, y1: y(v), y2: y(v) }),
        s("text", { x: left - 4, y: y(v) + 3, "text-anchor": "end" }, amount(v, series.unit === "%" ? "%" : ""))]),
      s("line", { class: "axis zero", x1: left, x2: width - right, y1: y(0), y2: y(0) }),
      pts.length > 1 ? s("polyline", { class: "line", points: pts.map((pt) => x(pt) + "," + y(pt.value)).join(" ") }) : null,
      pts.map((pt, i) => {
        const others = (pt.positions || []).filter((pos) => pos.position !== 0 && pos.value !== null);
        const label = period(pt.period) + ": " + amount(pt.value, series.unit) + " (" + plural(pt.sources, "source") + ")"
          + (pt.conflict ? "; in conflict: " + others.map((o) => amount(o.value, series.unit)).join(", ") : "");
        return s("a", { href: link("figure", pt.group_id), class: "point-link", "aria-label": label, dataset: { groupId: pt.group_id } },
          s("title", null, label),
          others.map((o) => [s("line", { class: "range", x1: x(pt), x2: x(pt), y1: y(pt.value), y2: y(o.value) }),
            s("circle", { class: "alt", cx: x(pt), cy: y(o.value), r: 4.5 })]),
          s("circle", { class: pt.conflict ? "pt conflict" : "pt", cx: x(pt), cy: y(pt.value), r: 5.5, dataset: { value: String(pt.value) } }),
          (i === 0 || i === pts.length - 1 || pts.length <= 4)
            ? s("text", { x: x(pt), y: height - bottom + 13, "text-anchor": "middle" }, pt.period.begin.slice(0, series.granularity === "year" ? 4 : 7))
            : null);
      }));
    return svg;
  }

  // A figure group's value as a reader wants it: in its unit (USD for money that converts), else, for
  // money with no exchange rate for its year, as its sentences state it in their own currency
  // ("90 RUB"), never "?". `members` are the group's statements when the answer holds them.
  function groupAmount(value, unit, members) {
    if (value !== null && value !== undefined) return amount(value, unit);
    const own = (members || []).filter((m) => m.value !== null && m.value !== undefined && m.unit);
    if (own.length && new Set(own.map((m) => m.unit)).size === 1) return amount(own[0].value, own[0].unit);
    return "no single value: see its sentences";
  }

  // A series point without a value (its money has no exchange rate): its own currency, from its group.
  function ownAmount(pt, unit) {
    const cell = h("span", { class: "own-currency" }, groupAmount(pt.value, unit));
    if (pt.value === null || pt.value === undefined) {
      api("figures/" + encodeURIComponent(pt.group_id)).then((g) => { cell.textContent = groupAmount(g.value, g.unit, g.members); })
        .catch(() => {});
    }
    return cell;
  }

  function seriesCard(series) {
    const unit = series.unit === "USD" ? "USD" : series.unit;
    return h("li", { class: "card chart", dataset: { key: series.key } },
      h("h3", null, series.metric + " · " + places(series.places, series.directed)),
      h("div", { class: "sub" }, series.relation + ", " + series.status + ", " + unit + ", by " + (series.granularity || "period") + " · " + plural(series.points.length, "point")),
      chart(series),
      h("table", { class: "points" },
        h("tbody", null, series.points.map((pt) => h("tr", null,
          h("td", null, period(pt.period)),
          h("td", { class: "num" }, ownAmount(pt, series.unit)),
          h("td", null, pt.conflict ? h("span", { class: "badge conflict" }, "conflict") : ""),
          h("td", { class: "muted" }, plural(pt.sources, "source")),
          h("td", null, h("a", { href: link("figure", pt.group_id), class: "to-figure" }, "sentences")))))));
  }

  views.figures = (r) => {
    const p = r.params;
    const filters = filtersOf(p, ["metric", "parties", "status", "relation", "since", "until", "entity"]);
    const offset = Number(p.get("offset") || 0);
    const form = filterForm([
      select("metric", "Metric", meta.metrics.map((m) => [m.metric, m.metric + " (" + m.figures + ")"]), filters.metric),
      input("parties", "Places (all of)", filters.parties, { list: "parties-list", placeholder: "CHN,RUS", size: 12 }),
      h("datalist", { id: "parties-list" }, meta.parties.map((x) => h("option", { value: x.code }))),
      select("status", "Status", [["actual", "actual"], ["target", "target"], ["forecast", "forecast"]], filters.status),
      select("relation", "Relation", [["level", "level"], ["change", "change"], ["share", "share"]], filters.relation),
      input("since", "From", filters.since, { placeholder: "2022", size: 10 }),
      input("until", "To", filters.until, { placeholder: "2024-12", size: 10 }),
      filters.entity ? entityFilter(filters.entity, "figures", p) : null,
    ], p, "figures");
    const charts = h("div", { id: "series" });
    const conflicts = h("div", { id: "conflicts" });
    append(view, [h("h1", null, "Figures over time"), form, charts, h("h2", null, "Figures in conflict"), conflicts]);
    if (!meta.fusion) {
      append(charts, [empty("Series need the fusion tables (veille's fusion has not run on this database).")]);
    } else {
      fill(charts, "series", () => api("series", Object.assign({ limit: 12, offset }, filters)), (data) => {
        if (!data.items.length) return empty("No dated figure matches these filters.");
        return [summaryLine(data, plural(data.total, "series"), "figures", null, filters, null,
          downloads("figures", filters, "Download their figures")),
          h("ul", { class: "charts" }, data.items.map(seriesCard))];
      });
    }
    fill(conflicts, "conflicts", () => api("conflicts", Object.assign({ limit: 20 }, filters)), (data) => {
      if (!data.items.length) return empty("No conflicting figures here.");
      return [h("div", { class: "summary-line" }, downloads("conflicts", filters, "Download every conflict")),
        figureTable(data.items)];
    });
  };

  function figureTable(groups) {
    return h("table", { class: "list" },
      h("thead", null, h("tr", null, ["Metric", "Places", "Period", "Value", "Sources", ""].map((t) => h("th", null, t)))),
      h("tbody", null, groups.map((g) => h("tr", null,
        h("td", null, h("a", { href: link("figure", g.group_id) }, g.metric || "?"), h("div", { class: "muted" }, g.relation + ", " + g.status)),
        h("td", null, places(g.places, g.directed)),
        h("td", null, period(g.period)),
        h("td", { class: "num" }, groupAmount(g.value, g.unit, g.members),
          g.conflict ? h("div", null, h("span", { class: "badge conflict" }, "conflict: " + g.positions.map((x) => amount(x.value, g.unit)).join(" vs "))) : null),
        h("td", { class: "num" }, g.sources + " (" + g.independent_sources + " indep.)"),
        h("td", null, h("a", { href: link("figure", g.group_id) }, "sentences"))))));
  }

  views.figure = (r) => {
    const slot = h("div");
    append(view, [slot]);
    fill(slot, "the figure", () => api("figures/" + encodeURIComponent(r.id)), (g) => [
      h("h1", null, g.metric + " · " + places(g.places, g.directed) + " · " + period(g.period)),
      h("div", { class: "facts" },
        h("span", null, "Value ", h("b", { id: "figure-value" }, groupAmount(g.value, g.unit, g.members))),
        h("span", null, g.relation + ", " + g.status),
        h("span", null, "Statements ", h("b", null, String(g.member_count))),
        h("span", null, "Sources ", h("b", null, g.sources + " (" + g.independent_sources + " independent)")),
        g.conflict ? h("span", { class: "badge conflict" }, "sources disagree") : null,
        g.implausible ? h("span", { class: "badge conflict" }, g.implausible + " implausible") : null),
      g.conflict ? h("section", { class: "card panel" }, h("h2", null, "Conflicting values"),
        h("table", { class: "list positions" },
          h("thead", null, h("tr", null, ["", "Value", "Sources", "Who says it"].map((t) => h("th", null, t)))),
          h("tbody", null, g.positions.map((pos) => h("tr", { class: "position" },
            h("td", null, pos.position === 0 ? "best supported" : "alternative"),
            h("td", { class: "num" }, amount(pos.value, g.unit)),
            h("td", null, pos.sources + " (" + pos.independent_sources + " indep.)"),
            h("td", null, [...new Set(pos.claims.map((c) => c.claim_source + (c.outlet && c.outlet !== c.claim_source ? " (" + c.outlet + ")" : "")))].join("; "))))))) : null,
      g.series && g.series.length > 1 ? h("section", { class: "card panel" }, h("h2", null, "Its series"),
        h("ul", { class: "plain" }, g.series.map((pt) => h("li", null,
          pt.group_id === g.group_id ? h("b", null, period(pt.period) + ": " + groupAmount(pt.value, g.unit, g.members))
            : h("a", { href: link("figure", pt.group_id) }, period(pt.period) + ": " + groupAmount(pt.value, g.unit)),
          pt.conflict ? [" ", h("span", { class: "badge conflict" }, "conflict")] : null)))) : null,
      h("h2", null, "The sentences that state it"),
      h("ul", { class: "sources cards", id: "figure-members" }, g.members.map((m) => h("li", { class: "card panel member" },
        h("div", { class: "source-meta" },
          h("b", null, m.outlet || m.source || "source"),
          m.published ? h("span", null, m.published) : null,
          h("span", null, "states " + (m.text || "") + " = " + amount(m.value, m.unit)),
          m.claim_source && m.claim_source !== m.outlet ? h("span", null, "says: " + m.claim_source) : null,
          g.conflict && m.position !== null ? h("span", { class: m.position ? "badge conflict" : "badge" }, m.position ? "alternative value" : "best supported") : null,
          m.outlier ? h("span", { class: "badge conflict" }, "outlier") : null,
          h("a", { href: link("article", m.article_id, { fig: m.measurement_idx, s: m.evidence_start, e: m.evidence_end }), class: "to-article" }, "open the article at this sentence")),
        m.title ? h("div", { class: "muted" }, m.title) : null,
        evidence(m.evidence, m.text)))),
    ]);
  };

  views.entities = (r) => listView(r, {
    route: "entities", title: "Entities", noun: "entity", keys: ["q", "type", "country"],
    fields: (filters) => [
      input("q", "Name", filters.q, { placeholder: "Poutine", size: 14 }),
      select("type", "Type", ["PERSON", "ORG", "COUNTRY", "PLACE", "PROJECT", "EVENT_NAME"].map((t) => [t, t]), filters.type),
      input("country", "Country", filters.country, { placeholder: "RUS", size: 5, maxlength: 3 }),
    ],
    table: entityTable,
  });

  function entityTable(entities) {
    return h("table", { class: "list" },
      h("thead", null, h("tr", null, ["Name", "Type", "Country", "Articles", "Mentions"].map((t) => h("th", null, t)))),
      h("tbody", null, entities.map((e) => h("tr", null,
        h("td", null, h("a", { href: link("entity", e.id) }, e.name || e.id), h("div", { class: "muted" }, e.id)),
        h("td", null, e.type), h("td", null, e.country || ""),
        h("td", { class: "num" }, String(e.articles)), h("td", { class: "num" }, String(e.mentions))))));
  }

  views.entity = (r) => {
    const head = h("div");
    const events = h("div", { id: "entity-events" });
    const figures = h("div", { id: "entity-figures" });
    const offset = Number(r.params.get("offset") || 0);
    append(view, [head,
      h("section", null, h("h2", null, "What it did, with whom, when"), events),
      h("section", null, h("h2", null, "Figures about it"), figures)]);
    fill(head, "the entity", () => api("entities/" + encodeURIComponent(r.id)), (e) => [
      h("h1", null, e.name || e.id),
      h("div", { class: "facts" },
        h("span", null, h("b", null, e.type), e.country ? " · " + e.country : ""),
        h("span", null, "id ", h("code", null, e.id)),
        h("span", null, "named in ", h("b", null, plural(e.articles, "article")), " (" + plural(e.mentions, "mention") + ")"),
        e.first_seen ? h("span", null, "from ", h("b", null, e.first_seen), " to ", h("b", null, e.last_seen)) : null,
        h("span", null, h("b", null, plural(e.events, "event")), ", ", h("b", null, plural(e.figures, "figure")))),
      e.partners.length ? h("div", { class: "facts" }, "With: ", e.partners.map((pt) =>
        h("a", { class: "chip", href: pt.entity_id ? link("entity", pt.entity_id) : link("timeline", null, { parties: pt.code }) },
          (pt.name || pt.code) + " · " + pt.events))) : null,
      e.recent_articles.length ? h("details", null, h("summary", null, "Latest articles naming it"),
        h("ul", { class: "plain" }, e.recent_articles.map((a) => h("li", null,
          h("a", { href: link("article", a.id) }, a.title || a.source), " ", h("span", { class: "muted" }, a.published || ""))))) : null,
    ]);
    const path = meta.fusion ? "events" : "article-events";
    fill(events, "events", () => api(path, { entity: r.id, limit: 25, offset }), (data) => {
      if (!data.items.length) return empty("No event involves it.");
      const items = meta.fusion ? data.items : data.items.map(asFused);
      return [summaryLine(data, plural(data.total, "event"), "entity", r.id, {}),
        h("ul", { class: "cards" }, items.map((ev) => eventCard(ev, false)))];
    });
    fill(figures, "figures", () => meta.fusion ? api("figures", { entity: r.id, limit: 30, order: "sources" })
      : api("measurements", { entity: r.id, limit: 30 }).then((d) => Object.assign(d, { items: d.items.map((m) => ({
        group_id: m.group_id, metric: m.metric, relation: m.relation, status: m.status, places: [m.from, m.to], directed: true,
        period: m.period, value: m.usd !== null && m.unit !== "%" ? m.usd : m.value, unit: m.usd !== null && m.unit !== "%" ? "USD" : m.unit,
        sources: 1, independent_sources: 1, conflict: false, positions: [] })) })), (data) => {
      if (!data.items.length) return empty("No figure about it.");
      return figureTable(data.items);
    });
  };

  views.articles = (r) => listView(r, {
    route: "articles", title: "Articles", noun: "article", keys: ["source", "since", "until", "entity"],
    fields: (filters) => [
      select("source", "Outlet", meta.outlets.map((o) => [o.outlet, o.outlet]), filters.source),
      input("since", "From", filters.since, { placeholder: "2024", size: 10 }),
      input("until", "To", filters.until, { placeholder: "2024-12", size: 10 }),
    ],
    table: articleTable,
  });

  function articleTable(items, snippets) {
    return h("table", { class: "list" },
      h("thead", null, h("tr", null, ["Published", "Title", "Outlet", "Entities", "Events", "Figures"].map((t) => h("th", null, t)))),
      h("tbody", null, items.map((a, i) => h("tr", null,
        h("td", null, a.published || "?"),
        h("td", null, h("a", { href: link("article", a.id) }, a.title || a.source),
          snippets ? h("p", { class: "snippet" }, snippets[i].map((seg) => seg.match ? h("mark", null, seg.text) : seg.text)) : null),
        h("td", null, a.outlet || ""),
        h("td", { class: "num" }, String(a.entities)), h("td", { class: "num" }, String(a.events)),
        h("td", { class: "num" }, String(a.measurements))))));
  }

  views.search = (r) => {
    const q = r.params.get("q") || "";
    const offset = Number(r.params.get("offset") || 0);
    document.getElementById("search-input").value = q;
    const slot = h("div");
    append(view, [h("h1", null, "Search"), slot]);
    if (!q.trim()) {
      append(slot, [empty("Type words in the search box: every one must occur (accents and case aside); \"quote\" a phrase.")]);
      return;
    }
    fill(slot, "results", () => api("search", { q, limit: 20, offset }), (data) => {
      if (!data.items.length) return empty("No article holds every word of “" + q + "”.");
      return [summaryLine(data, plural(data.total, "article") + " for “" + q + "”", "search", null, { q }),
        articleTable(data.items.map((hit) => hit.article), data.items.map((hit) => hit.snippet))];
    });
  };

  // The article's text with every extracted item marked: each character range gets the classes of
  // the items that cover it, as plain text inside spans.
  function markedText(record, focus) {
    const text = record.doc.text;
    const spans = [];
    record.entities.forEach((e) => (e.mentions || []).forEach(([a, b]) => spans.push({ a, b, cls: "ent", entity: e,
      title: e.name + " · " + e.type + (e.country ? " · " + e.country : "") + " · " + e.id })));
    record.timexes.forEach((t) => spans.push({ a: t.start, b: t.end, cls: "tmx",
      title: t.type + ": " + (t.begin ? period({ begin: t.begin, end: t.end_date }) : t.value || "unresolved") }));
    record.measurements.forEach((m, i) => spans.push({ a: m.start, b: m.end, cls: "fig", fig: i,
      title: (m.metric || "figure") + ": " + amount(m.value, m.unit) + " · " + m.relation + ", " + m.status
        + (m.from ? " · " + m.from + (m.to ? " → " + m.to : "") : "") + (m.period ? " · " + period(m.period) : "") }));
    record.events.forEach((ev, i) => ev.evidence && spans.push({ a: ev.evidence[0], b: ev.evidence[1], cls: "evt", ev: i,
      title: ev.type + ": " + parties(ev.actor, ev.recipient) + (ev.date ? " · " + period(ev.date) : "") }));
    if (focus) spans.push({ a: focus[0], b: focus[1], cls: "focus" });
    const cuts = new Set([0, text.length]);
    for (const sp of spans) {
      sp.a = Math.max(0, Math.min(text.length, sp.a | 0));
      sp.b = Math.max(sp.a, Math.min(text.length, sp.b | 0));
      cuts.add(sp.a); cuts.add(sp.b);
    }
    const points = [...cuts].sort((x, y) => x - y);
    const box = h("div", { class: "article-text card", id: "article-text", lang: record.doc.language || "fr" });
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      const piece = text.slice(a, b);
      const covering = spans.filter((sp) => sp.a <= a && sp.b >= b && sp.b > sp.a);
      if (!covering.length) { box.appendChild(document.createTextNode(piece)); continue; }
      const classes = [...new Set(covering.map((sp) => sp.cls))];
      const entity = covering.find((sp) => sp.entity);
      const figure = covering.find((sp) => sp.fig !== undefined);
      const span = h("span", { class: classes.concat(entity ? ["link"] : []), title: covering.filter((sp) => sp.title).map((sp) => sp.title).join("\n"),
        dataset: figure ? { fig: String(figure.fig) } : {} }, piece);
      if (entity) span.addEventListener("click", () => go("entity", entity.entity.id));
      box.appendChild(span);
    }
    return box;
  }

  views.article = (r) => {
    const slot = h("div");
    append(view, [slot]);
    const p = r.params;
    fill(slot, "the article", () => api("articles/" + encodeURIComponent(r.id)), (rec) => {
      const doc = rec.doc;
      let focus = null;
      if (p.get("s") !== null && p.get("e") !== null) focus = [Number(p.get("s")), Number(p.get("e"))];
      else if (p.get("fig") !== null && rec.measurements[Number(p.get("fig"))]) {
        const m = rec.measurements[Number(p.get("fig"))];
        focus = m.evidence || [m.start, m.end];
      } else if (p.get("ev") !== null && rec.events[Number(p.get("ev"))]) focus = rec.events[Number(p.get("ev"))].evidence;
      const text = markedText(rec, focus);
      const toggles = [["ent", "entities"], ["tmx", "dates"], ["fig", "figures"], ["evt", "event sentences"]].map(([cls, label]) =>
        h("label", null, h("input", { type: "checkbox", checked: true, on: { change: (ev) => text.classList.toggle("hide-" + cls, !ev.target.checked) } }),
          h("span", { class: "swatch " + cls }), label));
      const url = externalUrl(doc.metadata && doc.metadata.url || "");
      const moved = Object.entries(doc.metadata || {}).filter(([k]) => k !== "url");
      const out = [
        h("h1", { id: "article-title" }, doc.title || doc.source),
        h("div", { class: "facts" },
          h("span", null, "Published ", h("b", null, doc.published || "unknown"), doc.published_precision ? " (" + doc.published_precision + ")" : ""),
          rec.article.outlet ? h("span", null, "Outlet ", h("b", null, rec.article.outlet)) : null,
          h("span", null, "Version ", h("b", null, String(rec.article.version))),
          h("span", null, "Source ", url ? h("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, doc.source) : h("code", null, doc.source)),
          h("span", null, "id ", h("code", null, doc.id.slice(0, 16) + "…"))),
        h("div", { class: "legend" }, toggles),
        h("div", { class: "grid2" },
          h("div", null, text),
          h("aside", null,
            h("section", { class: "card panel" }, h("h2", null, "Events"), rec.events.length ? h("ul", { class: "plain" }, rec.events.map((ev, i) => h("li", null,
              h("span", { class: "badge type" }, ev.type), " ", parties(ev.actor, ev.recipient), " ", h("span", { class: "muted" }, period(ev.date)), " ",
              rec.links.events[i] ? h("a", { href: link("event", rec.links.events[i]) }, "event") : null, " ",
              h("a", { href: link("article", doc.id, { ev: i }) }, "sentence")))) : h("p", { class: "muted" }, "none")),
            h("section", { class: "card panel" }, h("h2", null, "Figures"), rec.measurements.length ? h("ul", { class: "plain" }, rec.measurements.map((m, i) => h("li", null,
              h("b", null, m.text), " ", h("span", { class: "muted" }, (m.metric || "?") + (m.period ? " · " + period(m.period) : "")), " ",
              rec.links.measurements[i] ? h("a", { href: link("figure", rec.links.measurements[i]) }, "figure") : null))) : h("p", { class: "muted" }, "none")),
            h("section", { class: "card panel" }, h("h2", null, "Entities"), rec.entities.length ? h("ul", { class: "plain" }, rec.entities.map((e) => h("li", null,
              h("a", { href: link("entity", e.id) }, e.name), " ", h("span", { class: "muted" }, e.type + (e.role === "reporter" ? " · reporter" : ""))))) : h("p", { class: "muted" }, "none")),
            rec.quotes.length ? h("section", { class: "card panel" }, h("h2", null, "Quotes"), h("ul", { class: "plain" }, rec.quotes.map((q) => h("li", null,
              "« " + q.text + " »", q.speaker ? h("span", { class: "muted" }, " · " + q.speaker) : null)))) : null,
            h("section", { class: "card panel", id: "debris" }, h("h2", null, "Removed as debris"),
              (doc.removed || []).length ? h("ul", { class: "plain debris" }, doc.removed.map((line) => h("li", null, line))) : h("p", { class: "muted" }, "nothing"),
              moved.length ? [h("h3", null, "Moved to metadata"), h("dl", { class: "meta" }, moved.map(([k, v]) => [h("dt", null, k), h("dd", null, typeof v === "string" ? v : JSON.stringify(v))]))] : null,
              (doc.flags || []).length ? [h("h3", null, "Flags"), h("ul", { class: "plain" }, doc.flags.map((f) => h("li", null, h("span", { class: "badge conflict" }, f.kind), " « " + f.text + " »")))] : null))),
      ];
      if (focus) setTimeout(() => { const el = text.querySelector(".focus"); if (el) el.scrollIntoView({ block: "center" }); }, 0);
      return out;
    });
  };

  // -- watching: the alerts and the watched sources ---------------------------------------------
  views.alerts = (r) => r.id ? alertPage(r.id) : alertList();

  function alertList() {
    const slot = h("div", { id: "alerts" });
    append(view, [h("h1", null, "Alerts"), slot]);
    fill(slot, "alerts", () => api("alerts"), (alerts) => {
      if (!alerts.length) {
        return empty(["No alert yet. Save a search on the command line, e.g. ",
          h("code", null, "veille alert add NAME -p IND,JPN"), ": what newly matches it appears here after each watch round."]);
      }
      return [h("div", { class: "summary-line" }, h("span", null, plural(alerts.length, "alert"))), alertTable(alerts)];
    });
  }

  function alertTable(alerts) {
    return stacked(h("table", { class: "list alerts" },
      h("thead", null, h("tr", null, ["Name", "Lists", "Filters", "Matches", "Unread", "Latest match", "Webhook"].map((t) => h("th", null, t)))),
      h("tbody", null, alerts.map((a) => h("tr", { dataset: { alert: a.name } },
        h("td", null, h("a", { href: link("alerts", a.name) }, a.name)),
        h("td", null, a.what, a.above !== null ? h("div", { class: "muted" }, "above " + amount(a.above)) : null),
        h("td", null, h("code", null, a.filters)),
        h("td", { class: "num" }, String(a.matches)),
        h("td", { class: "num" }, a.unread ? h("span", { class: "badge" }, String(a.unread)) : "0"),
        h("td", null, a.latest_title || h("span", { class: "muted" }, "none yet"),
          a.latest ? h("div", { class: "muted" }, moment(a.latest)) : null),
        h("td", { class: "wrap" }, a.webhook ? h("code", null, a.webhook) : h("span", { class: "muted" }, "none"),
          a.last_error ? h("div", { class: "error-text" }, a.last_error) : null))))));
  }

  function alertPage(name) {
    const slot = h("div");
    append(view, [slot]);
    fill(slot, "the alert", () => api("alerts/" + encodeURIComponent(name)), (a) => [
      h("h1", null, "Alert " + a.name),
      h("div", { class: "facts" },
        h("span", null, "Lists ", h("b", null, a.what), a.above !== null ? [" above ", h("b", null, amount(a.above))] : null),
        h("span", null, "Filters ", h("code", null, a.filters)),
        h("span", null, "Matches ", h("b", { id: "alert-matches" }, String(a.matches))),
        h("span", null, "Unread ", h("b", null, String(a.unread))),
        h("span", null, "Since ", h("b", null, moment(a.created))),
        h("a", { href: "/alerts/" + encodeURIComponent(a.name) + ".atom", type: "application/atom+xml", class: "feed" },
          "subscribe in a feed reader")),
      a.webhook ? h("div", { class: "facts" },
        h("span", { class: "wrap" }, "Webhook ", h("code", null, a.webhook)),
        a.last_error ? h("span", { class: "error-text" }, a.last_error) : null) : null,
      a.items.length ? matchTable(a, a.items)
        : empty("Nothing matches it yet: new matches appear here after each watch round."),
    ]);
  }

  function matchTable(alert, items) {
    const page = alert.what === "events" ? "event" : "figure";
    return stacked(h("table", { class: "list", id: "alert-items" },
      h("thead", null, h("tr", null, ["Matched", "Change", "What", "Sources"].map((t) => h("th", null, t)))),
      h("tbody", null, items.map((it) => h("tr", null,
        h("td", null, moment(it.matched)),
        h("td", null, h("span", { class: it.change === "new" ? "badge" : "badge muted" }, it.change)),
        h("td", null, h("a", { href: link(page, it.item_id) }, it.title)),
        h("td", { class: "num" }, String(it.sources)))))));
  }

  views.sources = () => {
    const slot = h("div", { id: "sources" });
    append(view, [h("h1", null, "Watched sources"), slot]);
    fill(slot, "sources", () => api("sources"), (sources) => {
      if (!sources.length) {
        return empty(["No source is watched. Start with ", h("code", null, "veille watch FEED_URL --every 15m"),
          " or ", h("code", null, "veille serve --watch FEED_URL"), "."]);
      }
      const failing = sources.filter((src) => src.failures > 0).length;
      return [h("div", { class: "summary-line" }, h("span", null, plural(sources.length, "source")
        + (failing ? ", " + failing + " failing" : ""))), sourceTable(sources)];
    });
  };

  function sourceTable(sources) {
    return stacked(h("table", { class: "list watched" },
      h("thead", null, h("tr", null, ["Source", "Last success", "Failures in a row", "Last error", "Next due", "Articles", "Per day (7 days)"]
        .map((t) => h("th", null, t)))),
      h("tbody", null, sources.map((src) => {
        const url = externalUrl(src.source);
        return h("tr", { class: src.failures > 0 ? "failing" : null, dataset: { source: src.source } },
          h("td", { class: "wrap" },
            url ? h("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, src.source) : h("code", null, src.source),
            h("div", { class: "muted" }, src.kind + ", every " + every(src.every_seconds),
              src.failures > 0 ? [" ", h("span", { class: "badge conflict" }, "failing")] : null)),
          h("td", null, moment(src.last_success, "never")),
          h("td", { class: "num" }, String(src.failures)),
          h("td", { class: "wrap" }, src.last_error ? [h("div", { class: src.failures > 0 ? "error-text" : "muted" }, src.last_error),
            h("div", { class: "muted" }, moment(src.last_error_at, ""))] : ""),
          h("td", null, moment(src.next_due, "now")),
          h("td", { class: "num" }, String(src.articles)),
          h("td", { class: "num" }, String(src.articles_per_day)));
      }))));
  }

  // -- extensions ---------------------------------------------------------------------------------
  // Views kept in files of their own (maps.js, codebook.js: loaded after this one, before the first
  // render) register in `views` through this handle and build with the same helpers.
  window.veille = { h, s, append, clear, fill, api, apiUrl, link, go, views, plural, period, parties, amount,
                    loading, empty, failure, downloads, meta: () => meta };

  // -- start --------------------------------------------------------------------------------------
  async function render() {
    renderToken += 1;
    const r = route();
    for (const a of document.querySelectorAll("header nav a")) {
      const section = { event: "timeline", figure: "figures", entity: "entities", article: "articles" }[r.name] || r.name;
      a.classList.toggle("active", a.dataset.section === section);
    }
    clear(view);
    const show = views[r.name];
    if (!show) {
      append(view, [empty("No such page.")]);
      return;
    }
    document.title = "veille · " + r.name + (r.id ? " " + r.id.slice(0, 16) : "");
    show(r);
    window.scrollTo(0, 0);
  }

  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = document.getElementById("search-input").value.trim();
    go("search", null, { q });
  });

  // What the database holds, each number saying what it counts: fused events (one per real-world
  // event, however many articles report it) and the reports they come from; figure groups and the
  // statements in them. Each part also explains itself in its title.
  function footerCounts(m) {
    const c = m.counts;
    const part = (text, title) => h("span", { class: "count", title }, text);
    if (!m.fusion) {
      return h("span", { id: "footer-counts" }, part(plural(c.articles, "article"), "articles stored (latest versions)"), " · ",
        part(plural(c.article_events, "event report") + " and " + plural(c.measurements, "figure statement"),
          "as each article gives them: the fusion tables are missing, so one real-world event reported by three articles counts three times"));
    }
    return h("span", { id: "footer-counts" },
      part(plural(c.articles, "article"), "articles stored (latest versions)"), " · ",
      part(plural(c.events, "event") + " (fused from " + plural(c.article_events, "report") + ")",
        "an event is one real-world event, fused from the reports of every article that tells it; "
        + plural(c.article_events, "report") + " in all, one per article and event"), " · ",
      part(plural(c.figures, "figure") + " (from " + plural(c.measurements, "statement") + ")",
        "a figure is one metric, places and period, fused from every sentence that states it"), " · ",
      part(plural(c.conflicts, "conflict"), "figures whose sources disagree beyond rounding"));
  }

  async function start() {
    if (document.readyState === "loading") {
      // the other scripts (deferred, after this one) register their views first
      await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
    }
    try {
      meta = await api("meta");
    } catch (err) {
      clear(view).appendChild(failure(err));
      return;
    }
    append(document.getElementById("footer"), [footerCounts(meta), " · API: /api/ · description: /openapi.json"]);
    window.addEventListener("hashchange", render);
    render();
  }

  start();
})();
