/// The report's script: it reads the embedded data and builds the page. Every string from the capture goes into the
/// page through `textContent` (or an SVG text node), never as markup. Frame rows carry `data-stream` and `data-index`
/// (the numbers of the JSON records), diagnostics `data-rule`: a contract for tests and users' scripts.
enum HTMLScript {
    static let core = #"""
    "use strict";
    const D = JSON.parse(document.getElementById("wsinspect-data").textContent);
    const S = i => (i === null || i === undefined) ? "" : D.strings[i];
    const OPS = {0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong"};
    const opName = o => OPS[o] || ("reserved-0x" + o.toString(16).toUpperCase());
    const COLORS = {1: "#0969da", 2: "#8250df", 0: "#57606a", 8: "#cf222e", 9: "#1a7f37", 10: "#1a7f37"};
    const DIRS = ["C→S", "S→C", "sender not given"];
    function el(tag, cls, text) {
      const e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined && text !== null) e.textContent = String(text);
      return e;
    }
    function svg(tag, attrs, text) {
      const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
      for (const k in attrs) e.setAttribute(k, attrs[k]);
      if (text !== undefined) e.textContent = String(text);
      return e;
    }
    function add(parent, ...children) { for (const c of children) if (c) parent.appendChild(c); return parent; }
    function hex(h, n) { const b = []; for (let i = 0; i + 1 < h.length && b.length < (n || 1e9); i += 2) b.push(h.substr(i, 2)); return b; }
    function clip(t, n) { return t.length > n ? t.slice(0, n - 1) + "…" : t; }
    function rule(id) { return D.rules[id] || ["note", "", ""]; }
    function diagBox(d, extra) {
      const [id, message] = d, r = rule(id), severity = d[3] || r[0], section = d[4] || r[1];
      const box = el("div", "diag " + severity);
      box.dataset.rule = id;
      add(box, el("b", null, severity + " "), el("code", null, "[" + id + "] "), el("span", "dim", section));
      add(box, el("div", null, message));
      if (extra) add(box, el("div", "dim", extra));
      return box;
    }
    function chip(id) { const c = el("span", "chip " + rule(id)[0], id); c.dataset.rule = id; return c; }

    const started = performance.now();
    const report = document.getElementById("report");
    document.title = "wsinspect report: " + D.title;
    add(report, el("h1", null, "wsinspect report"), el("div", "mono", D.title));
    if (D.capture.length) add(report, el("pre", null, D.capture.join("\n")));
    if (D.omitted) add(report, el("div", "diag warning", D.omitted + " frames were left out of this report (--html-max-frames); the text and JSON views have them all."));

    // Every finding of the capture, to jump from: grouped by rule, the first few of each listed.
    const all = [];
    const listBox = el("div");
    add(report, el("h2", null, "Findings"), listBox);
    for (const d of D.diagnostics) all.push([d[0], "capture", null]);

    // Big captures stay fast: a frame table shows PAGE rows at a time, and the first EAGER rows and arrows of the
    // report are drawn at load; later tables and ladders are drawn when they scroll into view.
    const PAGE = 500, LISTED = 20;
    let eagerRows = 3000, eagerArrows = 3000;
    const tables = {};
    for (const c of D.connections) renderConnection(c);
    if (!all.length) add(listBox, el("div", "ok", "none: nothing breaks a rule that wsinspect checks (wsinspect rules lists them)"));
    const byRule = new Map();
    for (const item of all) { const id = item[0][0]; if (!byRule.has(id)) byRule.set(id, []); byRule.get(id).push(item); }
    for (const [id, items] of byRule) {
      const group = el("details", "findings");
      group.open = byRule.size <= 8;
      const head = el("summary");
      add(head, chip(id), el("span", null, " ×" + items.length + " "), el("span", "dim", rule(id)[1]));
      add(group, head);
      for (const [d, where, go] of items.slice(0, LISTED)) {
        const box = diagBox(d, where);
        if (go) { const a = el("a", null, "show"); a.onclick = go; add(box, a); }
        add(group, box);
      }
      if (items.length > LISTED) add(group, el("div", "dim", (items.length - LISTED) + " more: choose [" + id + "] in a frame table's finding filter to list every frame"));
      add(listBox, group);
    }


    /// Shows frame `index` of connection `stream` (turning to its page, clearing filters that hide it) and
    /// highlights it; `open` also opens its anatomy.
    function goFrame(stream, index, open) {
      const t = tables[stream];
      const row = t ? t(index) : null;
      if (row) { jump(row); if (open) row.click(); }
    }
    function whenVisible(element, draw) {
      const observer = new IntersectionObserver(entries => {
        if (entries.some(e => e.isIntersecting)) { observer.disconnect(); draw(); }
      });
      observer.observe(element);
    }

    function jump(target) {
      target.scrollIntoView({block: "center"});
      target.classList.remove("flash"); void target.offsetWidth; target.classList.add("flash");
    }

    function renderConnection(c) {
      const sec = el("section");
      sec.id = "connection-" + (c.stream === null ? "pasted" : c.stream);
      const info = c.info;
      const title = c.stream === null ? "Pasted input" : "Connection " + c.stream + (info ? ": " + info.client + " → " + info.server : "");
      add(report, add(sec, el("h2", null, title)));
      if (info) {
        add(sec, el("div", "dim", "packet " + info.packet + " · " + info.start + " · detection: " + info.detection));
        for (const line of info.layers) add(sec, el("div", "layer", line));
      }
      if (c.handshake) renderHandshake(sec, c);
      const messages = c.messages, frames = c.frames;
      if (c.stream !== null && (frames.length || messages.length)) renderLadder(sec, c);
      if (frames.length) renderFrames(sec, c);
      for (const d of c.diagnostics) { const box = diagBox(d[0], DIRS[d[1]] + (d[2] ? " · packet " + d[2] : "")); add(sec, box); all.push([d[0], title, () => jump(box)]); }
      for (const m of messages) for (const d of m[13]) all.push([d, title + " · message " + m[0], () => goFrame(key(c), m[6], false)]);
      if (c.summary.length) add(sec, el("h3", null, "Summary"), el("pre", null, c.summary.join("\n")));
    }

    function key(c) { return c.stream === null ? "p" : String(c.stream); }

    function renderHandshake(sec, c) {
      const h = c.handshake;
      add(sec, el("h3", null, "Handshake (RFC 6455 §4)"));
      const box = el("div", "handshake");
      add(sec, box);
      const anchored = (side, name) => h.diagnostics.filter(d => {
        const a = d[2]; return a.length && (a[0] === "h" || a[0] === "m") && a[1] === side && a[2] === name;
      });
      function head(part, side, arrow) {
        if (!part) { add(box, el("div", "warn", arrow + " no response")); return; }
        add(box, el("div", "mono", arrow + " " + part.line + (part.packet ? "   (packet " + part.packet + ")" : "")));
        const t = el("table", "hdr");
        for (const [line, meaning, section, name] of part.headers) {
          const tr = add(el("tr"), el("td", null, line), el("td", "dim", meaning === null ? "" : S(meaning) + " (" + S(section) + ")"));
          const hits = anchored(side, name);
          if (hits.length) { tr.className = "hit"; const td = el("td"); for (const d of hits) add(td, chip(d[0])); add(tr, td); }
          add(t, tr);
        }
        add(box, t);
      }
      head(h.request, "request", "C→S");
      head(h.response, "response", "S→C");
      if (h.accept) {
        const a = h.accept, v = a.verdict;
        const pre = el("pre");
        pre.textContent = "Sec-WebSocket-Accept = base64(SHA-1(key + GUID))\n  key + GUID = " + a.key + a.guid +
          "\n  SHA-1      = " + a.sha1 + "\n  base64     = " + a.expected + "\n  received   = " + (a.received === null ? "(nothing)" : a.received);
        const mark = el("div", v === "match" ? "ok" : v === "not-checked" ? "dim" : "bad",
          v === "match" ? "✓ matches" : v === "mismatch" ? "✗ does not match" : v === "missing" ? "✗ Sec-WebSocket-Accept missing" : "not checked (no 101)");
        mark.id = "accept-" + (c.stream === null ? "pasted" : c.stream);
        add(box, pre, mark);
      }
      if (h.refused !== null) add(box, el("div", "warn", "upgrade refused with status " + h.refused + "; the connection stays HTTP"));
      if (h.negotiated) {
        const n = h.negotiated;
        let text = "negotiated: subprotocol " + (n.subprotocol === null ? "none" : n.subprotocol) + " · extensions " + (n.extensions.length ? n.extensions.join(", ") : "none");
        if (n.deflate) {
          const side = s => "window " + s[0] + " bits, " + (s[1] ? "no context takeover" : "context takeover");
          text += "\npermessage-deflate: C→S " + side(n.deflate[0]) + "; S→C " + side(n.deflate[1]);
        }
        add(box, el("pre", null, text));
      }
      for (const d of h.diagnostics) { const b = diagBox(d); add(box, b); all.push([d, "handshake of connection " + c.stream, () => jump(b)]); }
    }

    function renderLadder(sec, c) {
      // One arrow per message, and one per control frame; gaps and resynchronisations marked. In capture order: by the
      // packet that completed the message or frame (the gap's or resynchronisation's packet), then by time.
      const items = [], packetOf = {};
      for (const f of c.frames) packetOf[f[0]] = f[4];
      for (const m of c.messages) items.push({t: m[2], p: packetOf[m[6]], dir: m[1], op: m[3], label: opName(m[3]) + " " + m[8] + " B" + (m[4] > 1 ? " in " + m[4] + " frames" : "") + (m[9] ? " (compressed " + m[7] + " B)" : "") + (m[10] !== null ? ' "' + clip(m[10], 40) + '"' : ""), frame: m[6]});
      const pings = {};
      for (const f of c.frames) {
        if (f[6] < 8) continue;
        let label = opName(f[6]) + " " + f[8] + " B";
        if (f[6] === 8 && f[12].length >= 4) {
          const reason = new TextDecoder().decode(new Uint8Array(hex(f[12].slice(4)).map(b => parseInt(b, 16))));
          label = "close code " + parseInt(f[12].substr(0, 4), 16) + (reason ? ' "' + clip(reason, 30) + '"' : "");
        }
        if (f[6] === 9) pings[f[1] + ":" + f[12]] = f[2];
        if (f[6] === 10 && pings[(1 - f[1]) + ":" + f[12]] !== undefined) label += " (RTT " + ((f[2] - pings[(1 - f[1]) + ":" + f[12]]) * 1000).toFixed(3) + " ms)";
        items.push({t: f[2], p: f[4], dir: f[1], op: f[6], label: label, frame: f[0]});
      }
      for (const g of c.gaps) items.push({t: null, p: g[3], dir: g[0], op: -1, label: "GAP " + DIRS[g[0]] + ": " + g[2] + " bytes missing (" + g[4] + ")"});
      for (const d of c.diagnostics) if (d[0][0] === "stream-resynchronised") items.push({t: null, p: d[2], dir: d[1], op: -1, label: "RESYNCHRONISED " + DIRS[d[1]] + ": " + d[0][1]});
      const order = x => x === null || x === undefined ? 1e18 : x;
      items.sort((a, b) => (order(a.p) - order(b.p)) || (order(a.t) - order(b.t)));
      add(sec, el("h3", null, "Ladder: who sent what, when"));
      const wrap = el("div");
      add(sec, wrap);
      // The first 300 arrows at once (more on demand); drawn when it scrolls into view once the eager budget is spent.
      const limit = 300;
      function draw(n) {
        wrap.textContent = "";
        const rows = items.slice(0, n), W = 900, L = 150, R = 750, H = 24 * rows.length + 40;
        const s = svg("svg", {class: "ladder", width: W, height: H, viewBox: "0 0 " + W + " " + H});
        add(s, svg("text", {x: L - 20, y: 14}, "client"), svg("text", {x: R - 20, y: 14}, "server"));
        add(s, svg("line", {x1: L, y1: 20, x2: L, y2: H, stroke: "#57606a"}), svg("line", {x1: R, y1: 20, x2: R, y2: H, stroke: "#57606a"}));
        rows.forEach((it, i) => {
          const y = 40 + i * 24, color = COLORS[it.op] || "#bf8700";
          if (it.op === -1) {
            const mark = svg("g", {class: "mark"});
            add(mark, svg("line", {x1: L, y1: y, x2: R, y2: y, stroke: "#bf8700", "stroke-dasharray": "4 3"}), svg("text", {x: L + 10, y: y - 4, fill: "#9a6700"}, clip(it.label, 100)));
            if (it.p !== null && it.p !== undefined) add(mark, svg("text", {x: 6, y: y + 4, fill: "#6e7781"}, "pkt " + it.p));
            add(s, mark);
            return;
          }
          const from = it.dir === 1 ? R : L, to = it.dir === 1 ? L : R, head = it.dir === 1 ? 8 : -8;
          const g = svg("g", {class: "arrow", "data-stream": c.stream === null ? "" : c.stream, "data-index": it.frame});
          add(g, svg("line", {x1: from, y1: y, x2: to, y2: y, stroke: color, "stroke-width": 2}));
          add(g, svg("polygon", {points: to + "," + y + " " + (to + head) + "," + (y - 4) + " " + (to + head) + "," + (y + 4), fill: color}));
          add(g, svg("text", {x: Math.min(from, to) + 12, y: y - 4, fill: color}, clip(it.label, 90)));
          add(g, svg("text", {x: 6, y: y + 4, fill: "#6e7781"}, (it.t === null ? "" : "+" + it.t.toFixed(6)) + " #" + it.frame));
          g.style.cursor = "pointer";
          g.addEventListener("click", () => goFrame(key(c), it.frame, true));
          add(s, g);
        });
        add(wrap, s);
        if (items.length > n) { const more = el("a", null, "show all " + items.length + " arrows"); more.onclick = () => draw(items.length); add(wrap, el("div"), more); }
      }
      wrap.textContent = items.length + " arrows";
      const first = Math.min(items.length, limit);
      if (eagerArrows >= first) { eagerArrows -= first; draw(first); } else whenVisible(wrap, () => draw(first));
    }

    function renderFrames(sec, c) {
      add(sec, el("h3", null, "Frames (click one for its anatomy)"));
      const filters = el("div", "filters");
      const pick = (label, options) => { const s = el("select"); add(s, el("option", null, label)); for (const o of options) { const op = el("option", null, o); op.value = o; add(s, op); } add(filters, s); return s; };
      const rules = new Set();
      for (const f of c.frames) for (const d of f[16]) { rules.add(d[0]); all.push([d, "connection " + c.stream + " · frame #" + f[0], () => goFrame(key(c), f[0], true)]); }
      const fd = pick("both directions", ["C→S", "S→C"]), fo = pick("every opcode", [...new Set(c.frames.map(f => opName(f[6])))]), fr = pick("any finding", [...rules].sort());
      fd.options[0].value = fo.options[0].value = fr.options[0].value = "";
      const pager = el("div", "pager"), table = el("table", "frames");
      add(sec, filters, pager, table);
      let matching = c.frames, page = -1;
      const shown = new Map();
      function row(f) {
        const tr = el("tr", "frame");
        tr.dataset.stream = c.stream === null ? "" : String(c.stream);
        tr.dataset.index = String(f[0]);
        tr.dataset.dir = DIRS[f[1]]; tr.dataset.op = opName(f[6]);
        if (f[16].length) tr.dataset.rules = f[16].map(d => d[0]).join(" ");
        const preview = f[13] !== null ? '"' + clip(f[13], 60) + '"' : (f[14] ? "[compressed " + (f[12].length / 2) + " B] " : "") + hex(f[12], 16).join(" ");
        const where = c.stream === null ? [f[20] + "–" + (f[20] + f[21] - 1)] : ["+" + f[2].toFixed(6), f[3] === f[4] ? f[3] : f[3] + "–" + f[4]];
        const cells = [f[0], ...where, DIRS[f[1]], opName(f[6]), f[7] & 1 ? "1" : "0",
          String((f[7] >> 1) & 1) + ((f[7] >> 2) & 1) + ((f[7] >> 3) & 1), f[10] === null ? "-" : f[10], f[8] + (f[15] ? "" : " (incomplete)"), preview];
        for (const v of cells) add(tr, el("td", null, v));
        const td = el("td"); for (const d of f[16]) add(td, chip(d[0])); add(tr, td);
        tr.addEventListener("click", () => showAnatomy(c, f, tr));
        return tr;
      }
      function show(p) {
        page = p;
        shown.clear();
        table.textContent = "";
        const where = c.stream === null ? ["input bytes"] : ["time", "packets"];
        add(table, add(el("tr"), ...["#", ...where, "dir", "opcode", "FIN", "RSV", "mask key", "length", "payload", "findings"].map(h => el("th", null, h))));
        const body = document.createDocumentFragment();
        for (const f of matching.slice(p * PAGE, (p + 1) * PAGE)) { const tr = row(f); shown.set(f[0], tr); add(body, tr); }
        add(table, body);
        pager.textContent = "";
        const pages = Math.ceil(matching.length / PAGE);
        const filtered = matching.length !== c.frames.length ? " matching the filters (of " + c.frames.length + ")" : "";
        add(pager, el("span", null, matching.length ? "frames " + (p * PAGE + 1) + "–" + Math.min(matching.length, (p + 1) * PAGE) + " of " + matching.length + filtered : "no frame matches the filters"));
        if (pages > 1) {
          const turn = (label, to) => { const a = el("a", to >= 0 && to < pages && to !== p ? null : "off", label); a.onclick = () => { if (to >= 0 && to < pages) show(to); }; add(pager, el("span", null, " "), a); };
          turn("« first", 0); turn("‹ previous", p - 1); turn("next ›", p + 1); turn("last »", pages - 1);
        }
      }
      const hides = f => (fd.value && DIRS[f[1]] !== fd.value) || (fo.value && opName(f[6]) !== fo.value) || (fr.value && !f[16].some(d => d[0] === fr.value));
      fd.onchange = fo.onchange = fr.onchange = () => { matching = c.frames.filter(f => !hides(f)); show(0); };
      tables[key(c)] = index => {
        let at = matching.findIndex(f => f[0] === index);
        if (at < 0) { fd.value = fo.value = fr.value = ""; matching = c.frames; at = matching.findIndex(f => f[0] === index); }
        if (at < 0) return null;
        if (Math.floor(at / PAGE) !== page) show(Math.floor(at / PAGE));
        return shown.get(index) || null;
      };
      const first = Math.min(PAGE, c.frames.length);
      if (eagerRows >= first) { eagerRows -= first; show(0); }
      else { pager.textContent = c.frames.length + " frames"; whenVisible(pager, () => { if (page < 0) show(0); }); }
    }
    """#

    /// The end of the script, after the anatomy panel exists: a link to a frame opens its anatomy
    /// (report.html#frame-STREAM-INDEX, STREAM "pasted" for pasted frames).
    static let finish = #"""
    const wanted = /^#frame-([a-z0-9]+)-([0-9]+)$/.exec(location.hash);
    if (wanted) goFrame(wanted[1] === "pasted" ? "p" : wanted[1], Number(wanted[2]), true);
    // Pasted frames (frame, encode --html): the first one's anatomy is what the reader came for.
    else if (D.connections.length === 1 && D.connections[0].stream === null && D.connections[0].frames.length) goFrame("p", D.connections[0].frames[0][0], true);
    console.log("wsinspect report drawn in " + Math.round(performance.now() - started) + " ms, " + Math.round(performance.now()) + " ms after navigation start");
    requestAnimationFrame(() => setTimeout(() => console.log("wsinspect report laid out and painted " + Math.round(performance.now()) + " ms after navigation start")));
    """#
}
