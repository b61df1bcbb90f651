// veille dashboard: where and with whom. The map (#/map) draws the events of the timeline by place,
// the network (#/network) the parties and the pairs that share events (/api/map, /api/network).
// Plain JavaScript, nothing fetched from elsewhere; it builds with the helpers app.js hands over as
// `window.veille` and registers its two views there. SVG is styled by presentation attributes only
// (the page's policy allows no inline style).
"use strict";

(() => {
  const v = window.veille;
  if (!v) return;
  const { h, s, append, fill, api, link, go, views, plural } = v;

  // the timeline's filters these views take from the URL and keep in every link they make
  const KEYS = ["type", "parties", "sector", "since", "until", "source", "entity", "status", "min_sources"];
  const TOPS = [10, 30, 100];
  // PLOVER's four categories: cooperation in blues and greens, conflict in oranges and reds
  const COLORS = {
    verbal_cooperation: "#5b9bd5", material_cooperation: "#2e8b57",
    verbal_conflict: "#e69a28", material_conflict: "#c0392b",
  };
  const NODE_COLORS = { state: "#34495e", body: "#8e44ad", other: "#7f8c8d" };

  function filtersOf(params) {
    const out = {};
    for (const key of KEYS) if (params.get(key)) out[key] = params.get(key);
    return out;
  }

  // The timeline with the view's filters and `extra` (a place, a party, a pair of parties).
  function timeline(filters, extra) {
    return link("timeline", null, Object.assign({}, filters, extra));
  }

  // The events of one party more: the timeline's `parties` holds all of them.
  function withParties(filters, codes) {
    const have = (filters.parties || "").split(",").map((x) => x.trim()).filter(Boolean);
    return { parties: [...new Set(have.concat(codes))].join(",") };
  }

  function parties(n, adjective) {
    return n.toLocaleString("en") + " " + (adjective || "") + (n === 1 ? "party" : "parties");
  }

  function swatch(color, hollow) {
    return s("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true" },
      s("circle", { cx: 7, cy: 7, r: 5.5, fill: hollow ? "#fff" : color, stroke: color, "stroke-width": 2 }));
  }

  function legend(categories, extra) {
    return h("div", { class: "legend graph-legend" },
      categories.map((c) => h("span", { class: "chip", dataset: { category: c.id } },
        swatch(COLORS[c.id] || "#999"), " " + c.label)), extra || null);
  }

  // The filters both views share: PLOVER type and dates (the others ride along in the URL).
  function form(routeName, filters, params, more) {
    const m = v.meta();
    const types = m.types.filter((t) => t.events);
    const el = h("form", { class: "filters", role: "search", "aria-label": "Filters" },
      h("label", null, "PLOVER type", h("select", { name: "type", "aria-label": "PLOVER type" },
        h("option", { value: "" }, "all"),
        types.map((t) => h("option", { value: t.type, selected: t.type === filters.type }, t.type + " (" + t.events + ")")))),
      h("label", null, "From", h("input", { name: "since", value: filters.since || "", size: 10, placeholder: "2023-01",
        pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?", "aria-label": "From" })),
      h("label", null, "To", h("input", { name: "until", value: filters.until || "", size: 10, placeholder: "2024-12-31",
        pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?", "aria-label": "To" })),
      more || null,
      h("button", { type: "submit" }, "Apply"));
    const apply = (event) => {
      if (event) event.preventDefault();
      const next = Object.assign({}, filters);
      for (const name of ["type", "since", "until", "top"]) delete next[name];
      for (const field of el.elements) if (field.name && field.value) next[field.name] = field.value.trim();
      go(routeName, null, next);
    };
    el.addEventListener("submit", apply);
    for (const field of el.querySelectorAll("select")) field.addEventListener("change", apply);
    return el;
  }

  function byCategory(counts) {
    return Object.entries(counts || {}).map(([c, n]) => c.replace("_", " ") + " " + n).join(", ");
  }

  // -- the map ------------------------------------------------------------------------------------
  const W = 1000, H = 500;
  const xOf = (lon) => (lon + 180) / 360 * W;
  const yOf = (lat) => (90 - lat) / 180 * H;

  function graticule() {
    const lines = [];
    for (let lon = -180; lon <= 180; lon += 30) {
      lines.push(s("line", { x1: xOf(lon), y1: 0, x2: xOf(lon), y2: H, stroke: "#e3e8ee", "stroke-width": 1 }));
    }
    for (let lat = -90; lat <= 90; lat += 30) {
      lines.push(s("line", { x1: 0, y1: yOf(lat), x2: W, y2: yOf(lat), stroke: lat ? "#e3e8ee" : "#c9d3de", "stroke-width": 1 }));
    }
    return s("g", { class: "graticule", "aria-hidden": "true" }, lines);
  }

  // Where the timeline of a place goes: a place of the gazetteer by its id (the events whose sentence
  // names it: those counted here and any that only mention it); a state, by its code among the parties.
  function placeLink(place, filters) {
    if (place.basis === "party") return timeline(filters, withParties(filters, [place.id]));
    return timeline(filters, { entity: place.id });
  }

  function mapSvg(data, filters) {
    const max = Math.max(1, ...data.places.map((p) => p.events));
    const radius = (n) => 3 + 17 * Math.sqrt(n / max);
    // big ones first, small on top; a state's ring (events that name no place) has no fill, so that the
    // circle of its capital inside stays clickable
    const placed = data.places.slice().sort((a, b) => b.events - a.events);
    const circles = placed.map((p) => {
      const color = COLORS[p.category] || "#999";
      const party = p.basis === "party";
      return s("a", { href: placeLink(p, filters), class: "place", dataset: { id: p.id, events: String(p.events), basis: p.basis } },
        s("circle", { cx: xOf(p.coords[1]).toFixed(1), cy: yOf(p.coords[0]).toFixed(1), r: radius(p.events).toFixed(1),
          fill: party ? "none" : color, "fill-opacity": 0.75, stroke: color, "stroke-width": party ? 3 : 1.2 }),
        s("title", null, p.name + (party ? " (no place named: the state, at its capital)" : "") + ": "
          + plural(p.events, "event") + " · " + byCategory(p.by_category)));
    });
    const labels = placed.filter((p) => p.basis === "location").slice(0, 8).map((p) =>
      s("text", { x: (xOf(p.coords[1]) + radius(p.events) + 3).toFixed(1), y: (yOf(p.coords[0]) + 4).toFixed(1),
        "font-size": 13, fill: "#333", "aria-hidden": "true" }, p.name));
    return s("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", id: "map-svg",
      "aria-label": "Map of the events by place" },
    s("rect", { x: 0, y: 0, width: W, height: H, fill: "#f7fafc" }), graticule(), circles, labels);
  }

  // A place's line under the map: a link to its timeline when there is a filter for it (a place the
  // gazetteer knows, a state), its name alone otherwise (a name the gazetteer does not know).
  function placeList(places, filters, id) {
    return h("ul", { class: "plain", id }, places.map((p) => h("li", { dataset: { id: p.id } },
      p.known || p.basis === "party" ? h("a", { href: placeLink(p, filters) }, p.name) : h("b", null, p.name),
      " · " + plural(p.events, "event") + (p.state && p.state !== p.id ? " · " + p.state : "")
        + (p.basis === "party" ? " · no place named" : "") + " · " + byCategory(p.by_category))));
  }

  views.map = (r) => {
    const filters = filtersOf(r.params);
    const slot = h("div", { id: "map" });
    append(document.getElementById("view"), [h("h1", null, "Where: events by place"), form("map", filters, r.params), slot]);
    fill(slot, "the map", () => api("map", filters), (data) => {
      if (!data.total) return v.empty("No event matches these filters.");
      const shown = data.places.reduce((n, p) => n + p.events, 0);
      return [
        h("div", { class: "summary-line" }, h("span", { id: "map-total" }, plural(data.total, "event")),
          h("span", { class: "muted" }, plural(shown, "event") + " on the map · "
            + plural(data.unplaced.reduce((n, p) => n + p.events, 0), "event") + " at places without coordinates · "
            + plural(data.unlocated, "event") + " with neither a place nor a state")),
        legend(data.categories, h("span", { class: "chip" }, swatch("#555", true), " no place named: the state, at its capital")),
        h("div", { class: "panel graph" }, mapSvg(data, filters)),
        h("p", { class: "muted" }, "Circles are sized by events and coloured by their most frequent PLOVER category; "
          + "each opens the timeline of its place. Coordinates come from the gazetteer."),
        data.unplaced.length ? h("section", { class: "panel" }, h("h2", null, "Places without coordinates"),
          placeList(data.unplaced, filters, "unplaced")) : null,
        h("section", { class: "panel" }, h("h2", null, "Places on the map"), placeList(data.places, filters, "placed")),
      ];
    });
  };

  // -- the network --------------------------------------------------------------------------------
  const N = 800, C = N / 2, R = 290;

  // Nodes on a circle, ordered by degree then events: the most connected side by side at the top.
  function layout(nodes) {
    const order = nodes.slice().sort((a, b) => b.degree - a.degree || b.events - a.events || (a.code < b.code ? -1 : 1));
    const at = {};
    order.forEach((n, i) => {
      const angle = -Math.PI / 2 + 2 * Math.PI * i / order.length;
      at[n.code] = { x: C + R * Math.cos(angle), y: C + R * Math.sin(angle), angle };
    });
    return at;
  }

  function networkSvg(data, filters) {
    const at = layout(data.nodes);
    const maxW = Math.max(1, ...data.edges.map((e) => e.weight));
    const maxN = Math.max(1, ...data.nodes.map((n) => n.events));
    const small = data.nodes.length > 40;
    const edges = data.edges.slice().reverse().map((e) => {     // heaviest drawn last, on top
      const a = at[e.source], b = at[e.target];
      const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
      const d = "M" + a.x.toFixed(1) + " " + a.y.toFixed(1) + " Q" + ((mx + C) / 2).toFixed(1) + " " + ((my + C) / 2).toFixed(1)
        + " " + b.x.toFixed(1) + " " + b.y.toFixed(1);
      const color = COLORS[e.category] || "#999";
      return s("a", { href: timeline(filters, withParties(filters, [e.source, e.target])), class: "edge",
        dataset: { parties: e.parties, weight: String(e.weight) } },
      s("path", { d, fill: "none", stroke: "transparent", "stroke-width": 14 }),
      s("path", { d, fill: "none", stroke: color, "stroke-opacity": 0.75, "stroke-width": (1.5 + 12 * e.weight / maxW).toFixed(2),
        "stroke-linecap": "round" }),
      s("title", null, e.source + " – " + e.target + ": " + plural(e.weight, "event") + " · " + byCategory(e.by_category)));
    });
    const nodes = data.nodes.map((n) => {
      const p = at[n.code];
      const right = Math.cos(p.angle) >= 0;
      const r = 6 + 20 * Math.sqrt(n.events / maxN);
      return s("a", { href: timeline(filters, withParties(filters, [n.code])), class: "node", dataset: { code: n.code, events: String(n.events) } },
        s("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1), fill: NODE_COLORS[n.kind] || "#777", stroke: "#fff", "stroke-width": 1.5 }),
        s("text", { x: (p.x + Math.cos(p.angle) * (r + 5)).toFixed(1), y: (p.y + Math.sin(p.angle) * (r + 5) + 4).toFixed(1),
          "text-anchor": right ? "start" : "end", "font-size": small ? 16 : 26, fill: "#222" }, n.code),
        s("title", null, n.name + " (" + n.code + "): " + plural(n.events, "event") + " · " + byCategory(n.by_category)));
    });
    return s("svg", { viewBox: "-120 -20 " + (N + 240) + " " + (N + 40), width: "100%", role: "img", id: "network-svg",
      "aria-label": "Network of the parties that share events" }, s("g", { class: "edges" }, edges), s("g", { class: "nodes" }, nodes));
  }

  function edgeList(data, filters) {
    return h("ul", { class: "plain", id: "edge-list" }, data.edges.slice(0, 30).map((e) => h("li", null,
      h("a", { href: timeline(filters, withParties(filters, [e.source, e.target])) }, e.source + " – " + e.target),
      " · " + plural(e.weight, "event") + " · " + byCategory(e.by_category))));
  }

  views.network = (r) => {
    const filters = filtersOf(r.params);
    const top = Number(r.params.get("top")) || 30;
    const options = TOPS.includes(top) ? TOPS : TOPS.concat([top]).sort((a, b) => a - b);
    const control = h("label", null, "Parties shown", h("select", { name: "top", "aria-label": "Parties shown" },
      options.map((n) => h("option", { value: String(n), selected: n === top }, "top " + n))));
    const slot = h("div", { id: "network" });
    append(document.getElementById("view"), [h("h1", null, "With whom: parties and the events they share"),
      form("network", filters, r.params, control), slot]);
    fill(slot, "the network", () => api("network", Object.assign({ top }, filters)), (data) => {
      if (!data.nodes.length) return v.empty("No event matches these filters.");
      const o = data.others;
      return [
        h("div", { class: "summary-line" }, h("span", { id: "network-total" }, plural(data.total, "event")),
          h("span", { class: "muted", id: "network-others" }, parties(data.nodes.length) + " shown"
            + (o.nodes ? " · " + parties(o.nodes, "other ") + " left out (" + plural(o.events, "event") + ", "
              + plural(o.edges, "pair") + ")" : ""))),
        legend(data.categories, [
          h("span", { class: "chip" }, swatch(NODE_COLORS.state), " state"),
          h("span", { class: "chip" }, swatch(NODE_COLORS.body), " body")]),
        h("div", { class: "panel graph" }, networkSvg(data, filters)),
        h("p", { class: "muted" }, "A line joins two parties of the same events: its width is how many, its colour their most "
          + "frequent PLOVER category. A party or a line opens the timeline of its events."),
        data.edges.length ? h("section", { class: "panel" }, h("h2", null, "Pairs with the most events"), edgeList(data, filters)) : null,
      ];
    });
  };
})();
