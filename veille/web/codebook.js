// veille dashboard: the codebook page (#/codebook), and what each code means on hover everywhere
// else. Plain JavaScript over the helpers app.js exposes as `window.veille`; the codes and their
// labels and definitions come from /api/codebook (resources/codebook.yaml), fetched once per language.
"use strict";

(() => {
  const v = window.veille;
  if (!v) return;
  const { h, append, fill, api, link, views, empty } = v;
  const view = document.getElementById("view");

  const LANGS = ["en", "fr"];
  const TEXT = {
    en: {
      title: "Codebook",
      intro: "What each code on these pages means: the PLOVER event types (by category), the modes and statuses of events, "
        + "their sectors, and for figures their metrics, kinds, relations and statuses.",
      data: "As data: ",
      contents: "Contents",
      missing: "No code “{code}” in the codebook.",
      sections: {
        type: "Event types (PLOVER)", mode: "Modes of CONSULT", status: "Event statuses", sector: "Sectors",
        metric: "Figure metrics", figure_kind: "Kinds of figure", relation: "Relations of figures", figure_status: "Figure statuses",
      },
      see: { type: "events of this type", sector: "events in this sector", status: "events with this status", metric: "figures of this metric" },
    },
    fr: {
      title: "Codebook",
      intro: "Ce que signifie chaque code de ces pages : les types d'événements PLOVER (par catégorie), les modes et les statuts "
        + "des événements, leurs secteurs et, pour les chiffres, leurs mesures, natures, relations et statuts.",
      data: "En données : ",
      contents: "Sommaire",
      missing: "Aucun code « {code} » dans le codebook.",
      sections: {
        type: "Types d'événements (PLOVER)", mode: "Modes de CONSULT", status: "Statuts des événements", sector: "Secteurs",
        metric: "Mesures des chiffres", figure_kind: "Natures de chiffre", relation: "Relations des chiffres", figure_status: "Statuts des chiffres",
      },
      see: { type: "événements de ce type", sector: "événements de ce secteur", status: "événements de ce statut", metric: "chiffres de cette mesure" },
    },
  };
  const SECTIONS = ["type", "mode", "status", "sector", "metric", "figure_kind", "relation", "figure_status"];
  const FILTERS = { type: ["timeline", "type"], sector: ["timeline", "sector"], status: ["timeline", "status"], metric: ["figures", "metric"] };

  // -- the codebook, loaded once per language ----------------------------------------------------
  const loaded = {};     // lang -> Promise of {lang, kinds}
  const index = {};      // lang -> {kind: {code: entry}}

  function load(lang) {
    const l = LANGS.includes(lang) ? lang : "en";
    if (!loaded[l]) {
      loaded[l] = api("codebook", { lang: l }).then((book) => {
        index[l] = {};
        for (const [kind, entries] of Object.entries(book.kinds)) {
          index[l][kind] = Object.fromEntries(entries.map((e) => [e.code, e]));
        }
        return book;
      });
      loaded[l].catch(() => { delete loaded[l]; });   // asked again next time
    }
    return loaded[l];
  }

  function entry(kind, code, lang = "en") {
    const codes = index[lang] && index[lang][kind];
    return codes && Object.prototype.hasOwnProperty.call(codes, code) ? codes[code] : null;
  }

  // The English definition of a code, or null while the codebook is loading (or for an unknown code).
  function define(kind, code) {
    if (!index.en) load("en").catch(() => {});
    const e = entry(kind, code);
    return e ? e.definition : null;
  }

  // The text of a hover title: label, category for a type, definition.
  function explain(kind, code) {
    const e = entry(kind, code);
    if (!e) return null;
    const category = e.category ? entry("category", e.category) : null;
    return e.label + (category ? " (" + category.label.toLowerCase() + ")" : "") + ": " + e.definition;
  }

  // -- hover definitions on the other pages -------------------------------------------------------
  function titled(el, text) {
    if (text && !el.hasAttribute("title")) el.setAttribute("title", text);
  }

  const METRIC_TEXT = /^([a-z][a-z0-9_]*)(?: · .*)?$/;
  const RELATION_STATUS = /^([a-z]+), ([a-z]+)$/;
  const SELECTS = { type: "type", sector: "sector", metric: "metric", relation: "relation" };

  function annotate(root) {
    if (!index.en) return;
    for (const el of root.querySelectorAll(".badge.type")) titled(el, explain("type", el.textContent.trim()));
    for (const el of root.querySelectorAll("[class*='status-']")) {
      const cls = [...el.classList].find((c) => c.startsWith("status-"));
      if (cls) titled(el, explain("status", cls.slice(7)));
    }
    for (const el of root.querySelectorAll(".chip")) {
      const text = el.textContent.trim();
      titled(el, explain("mode", text) || explain("sector", text));
    }
    // metric labels: a figure's link in tables, a series' heading, a figure page's title, an article's figures
    for (const el of root.querySelectorAll("a[href^='#/figure'], .chart h3, h1, span.muted")) {
      const m = METRIC_TEXT.exec(el.textContent.trim());
      if (m) titled(el, explain("metric", m[1]));
    }
    // "level, actual" under a figure
    for (const el of root.querySelectorAll("div.muted, .facts > span")) {
      const m = RELATION_STATUS.exec(el.textContent.trim());
      const rel = m && explain("relation", m[1]), st = m && explain("figure_status", m[2]);
      if (rel && st) titled(el, rel + "\n" + st);
    }
    for (const [name, kind] of Object.entries(SELECTS)) {
      for (const option of root.querySelectorAll("select[name='" + name + "'] option[value]")) {
        titled(option, explain(kind, option.value));
      }
    }
    const status = root.querySelector("select[name='status']");
    if (status) {
      for (const option of status.querySelectorAll("option[value]")) {
        titled(option, explain("figure_status", option.value) || explain("status", option.value));
      }
    }
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    const run = () => { pending = false; annotate(view); };
    if (index.en) Promise.resolve().then(run);
    else load("en").then(run, () => { pending = false; });
  }
  new MutationObserver(schedule).observe(view, { childList: true, subtree: true });

  // -- the page -----------------------------------------------------------------------------------
  function entryBlock(kind, e, lang) {
    const filter = FILTERS[kind];
    return h("div", { class: "code-entry", id: "code-" + kind + "-" + e.code, dataset: { kind, code: e.code } },
      h("h4", null,
        h("code", null, e.code), " ",
        h("span", { class: "code-label" }, e.label), " ",
        h("a", { class: "code-anchor", href: link("codebook", null, { code: e.code, kind, lang }),
          "aria-label": "link to " + e.code }, "#")),
      h("p", { class: "code-definition" }, e.definition),
      filter ? h("a", { class: "code-more", href: link(filter[0], null, { [filter[1]]: e.code }) }, TEXT[lang].see[kind]) : null);
  }

  function paint(book, lang) {
    const t = TEXT[lang];
    const kinds = book.kinds;
    const present = SECTIONS.filter((kind) => (kinds[kind] || []).length);
    const toc = h("nav", { class: "codebook-toc", "aria-label": t.contents },
      present.map((kind) => h("a", { href: link("codebook", null, { section: kind, lang }) }, t.sections[kind])));
    const sections = present.map((kind) => {
      let body;
      if (kind === "type") {
        body = (kinds.category || []).map((cat) => h("div", { class: "code-group", id: "code-category-" + cat.code },
          h("h3", null, cat.label),
          h("p", { class: "muted" }, cat.definition),
          h("div", { class: "code-list" },
            kinds.type.filter((e) => e.category === cat.code).map((e) => entryBlock("type", e, lang)))));
        const loose = kinds.type.filter((e) => !(kinds.category || []).some((c) => c.code === e.category));
        if (loose.length) body.push(h("div", { class: "code-list" }, loose.map((e) => entryBlock("type", e, lang))));
      } else {
        body = h("div", { class: "code-list" }, kinds[kind].map((e) => entryBlock(kind, e, lang)));
      }
      return h("section", { class: "codebook-section", id: "codebook-" + kind }, h("h2", null, t.sections[kind]), body);
    });
    return [toc, sections];
  }

  function target(slot, params, lang) {
    const code = params.get("code"), kind = params.get("kind"), section = params.get("section");
    let el = null;
    if (code) {
      const kinds = kind ? [kind] : ["type", "mode", "status", "sector", "metric", "figure_kind", "relation", "figure_status", "category"];
      for (const k of kinds) {
        el = document.getElementById("code-" + k + "-" + code);
        if (el) break;
      }
      if (!el) {
        slot.insertBefore(empty(TEXT[lang].missing.replace("{code}", code)), slot.firstChild);
        return;
      }
    } else if (section) {
      el = document.getElementById("codebook-" + section);
    }
    if (!el) return;
    if (el.classList.contains("code-entry") || el.classList.contains("code-group")) el.classList.add("target");
    el.scrollIntoView({ block: code ? "center" : "start" });
  }

  views.codebook = (r) => {
    const p = r.params;
    const lang = LANGS.includes(p.get("lang")) ? p.get("lang") : "en";
    const t = TEXT[lang];
    const keep = { code: p.get("code"), kind: p.get("kind"), section: p.get("section") };
    const switcher = h("nav", { class: "lang-switch", "aria-label": "Language" },
      LANGS.map((l) => h("a", { href: link("codebook", null, Object.assign({}, keep, { lang: l })), lang: l,
        "aria-current": l === lang ? "true" : null, dataset: { lang: l } }, l.toUpperCase())));
    const slot = h("div", { id: "codebook", lang });
    const apiPath = "/api/codebook?lang=" + lang;
    append(view, [
      h("div", { class: "codebook-head" }, h("h1", null, t.title), switcher),
      h("p", { class: "muted", lang }, t.intro, " ", t.data, h("a", { href: apiPath }, apiPath), "."),
      slot]);
    fill(slot, "the codebook", () => load(lang), (book) => paint(book, lang)).then(() => {
      if (slot.isConnected) setTimeout(() => target(slot, p, lang), 0);
    });
  };

  Object.assign(v, { define, codebook: load });
  load("en").catch(() => {});
})();
