extension HTMLScript {
    /// The anatomy panel: a frame's bit figure (RFC 6455 §5.2, each field coloured), field table, unmasking table,
    /// payload and inflation, with its findings marked on the field or bytes they are about.
    static let anatomy = #"""
    const panel = el("div");
    panel.id = "anatomy";
    document.body.appendChild(panel);
    let selected = null;
    const fieldClass = name => "f-" + name.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "");
    function bitsOf(h) { return hex(h).map(b => parseInt(b, 16).toString(2).padStart(8, "0")).join(""); }

    function showAnatomy(c, f, tr) {
      if (selected) selected.classList.remove("sel");
      selected = tr; tr.classList.add("sel");
      panel.textContent = "";
      panel.className = "open";
      const close = el("span", "close", "✕"); close.onclick = () => { panel.className = ""; }; add(panel, close);
      const [index, dir, t, pkt, lastPkt, segs, op, flags, len, form, keyHex, hdrHex, hexOrEmpty, text, comp, complete, diags, rawFields, unmask, tls] = f;
      const payHex = text !== null ? Array.from(new TextEncoder().encode(text), b => b.toString(16).padStart(2, "0")).join("") : hexOrEmpty;
      const fields = rawFields.map(x => [S(x[0]), x[1], x[2], x[3], x[4], x[5]]);
      add(panel, el("h3", null, "Frame #" + index + " · " + DIRS[dir] + " · " + opName(op) + ((flags & 1) ? ", FIN" : ", not final") +
        ((flags & 16) ? ", masked" : ", unmasked") + ", " + len + "-byte payload" + (complete ? "" : " · INCOMPLETE")));
      const bytesAt = f[20] + "–" + (f[20] + f[21] - 1);
      add(panel, el("div", "dim", c.stream === null ? "input bytes " + bytesAt :
        "packet" + (pkt === lastPkt ? " " + pkt : "s " + pkt + "–" + lastPkt) + " · " + segs + " segment" + (segs === 1 ? "" : "s") + " · stream bytes " + bytesAt +
        (tls ? " · TLS records " + tls.map(r => "#" + r[0] + " " + r[1] + " " + r[2] + " B").join(", ") : "")));
      const hitField = name => diags.filter(d => d[2][0] === "f" && d[2][1] === name);
      const hitByte = i => diags.some(d => d[2][0] === "p" && i >= d[2][1] && i < d[2][2]);

      // The bit figure: 32 bits a row, each field (or its piece in a row) a coloured box holding its bits.
      add(panel, el("h3", null, "Header bits (RFC 6455 §5.2)"));
      const bits = bitsOf(hdrHex), header = fields.filter(x => x[0] !== "payload data");
      const total = bits.length, rows = Math.ceil(total / 32), CW = 16, figure = svg("svg", {width: 32 * CW + 110, height: rows * 52 + 24});
      for (let i = 0; i < 32; i++) add(figure, svg("text", {x: i * CW + 4, y: 12, fill: "#6e7781"}, i % 10));
      for (const [name, off, cnt] of header) {
        let start = off;
        while (start < off + cnt) {
          const row = Math.floor(start / 32), end = Math.min(off + cnt, (row + 1) * 32), x = (start % 32) * CW, y = 18 + row * 52;
          const r = svg("rect", {x: x, y: y, width: (end - start) * CW, height: 44, class: fieldClass(name) + (hitField(name).length ? " hit" : ""), stroke: "#57606a"});
          add(figure, r, svg("text", {x: x + 3, y: y + 16}, bits.slice(start, end).split("").join(" ")));
          add(figure, svg("text", {x: x + 3, y: y + 36, fill: "#424a53"}, (end - start) < 4 ? name.slice(0, 4) : clip(name + (start === off ? "" : " (cont.)"), (end - start) * 2)));
          start = end;
        }
      }
      for (let row = 0; row < rows; row++) add(figure, svg("text", {x: 32 * CW + 8, y: 18 + row * 52 + 26, fill: "#6e7781"}, hex(hdrHex).slice(row * 4, row * 4 + 4).join(" ")));
      add(panel, figure);

      add(panel, el("h3", null, "Fields"));
      const ft = el("table", "hdr");
      add(ft, add(el("tr"), ...["field", "position", "raw bits", "value", "meaning"].map(h => el("th", null, h))));
      for (const [name, off, cnt, value, meaning, section] of fields) {
        const payload = name === "payload data";
        const first = Math.floor(off / 8), last = Math.floor((off + Math.max(cnt, 1) - 1) / 8);
        const position = payload ? (cnt ? "bytes " + first + "–" + last : "(empty)") : (cnt === 1 ? "bit " + off : "bits " + off + "–" + (off + cnt - 1)) + (first === last ? " (byte " + first + ")" : " (bytes " + first + "–" + last + ")");
        const tr = add(el("tr"), el("td", fieldClass(name), name), el("td", null, position), el("td", "mono", payload ? "" : (bits.slice(off, off + cnt).match(/.{1,8}/g) || []).join(" ")),
          el("td", "mono", S(value)), add(el("td"), el("span", null, S(meaning) + " "), el("span", "dim", "(" + S(section) + ")")));
        const hits = hitField(name);
        if (hits.length) { tr.className = "hit"; for (const d of hits) add(tr.lastChild, chip(d[0])); }
        add(ft, tr);
      }
      add(panel, ft);

      add(panel, el("h3", null, "Unmasking (RFC 6455 §5.3)"));
      if (!unmask) add(panel, el("div", "dim", "MASK=0: the payload travels as is, there is nothing to unmask."));
      else {
        add(panel, el("div", "mono", "unmasked[i] = masked[i] XOR key[i mod 4], key = " + hex(keyHex).join(" ")));
        const ut = el("table", "hdr mono");
        add(ut, add(el("tr"), ...["i", "masked", "", "key[i mod 4]", "", "unmasked", "char"].map(h => el("th", null, h))));
        const b2 = v => v.toString(16).padStart(2, "0") + " " + v.toString(2).padStart(8, "0");
        unmask.forEach(([m, k, u, ch], i) => {
          const tr = add(el("tr", hitByte(i) ? "hit" : null), el("td", null, i), el("td", null, b2(m)), el("td", null, "XOR"), el("td", null, b2(k) + " (" + (i % 4) + ")"),
            el("td", null, "="), el("td", null, b2(u)), el("td", null, S(ch)));
          add(ut, tr);
        });
        add(panel, ut);
        if (len > unmask.length) add(panel, el("div", "dim", "… " + (len - unmask.length) + " more bytes"));
      }

      add(panel, el("h3", null, "Payload"));
      if (text !== null) add(panel, el("pre", null, '"' + text + '"'));
      const dump = el("div", "mono bytes");
      hex(payHex, 512).forEach((b, i) => { const s = el("span", hitByte(i) ? "hit" : null, b + " "); add(dump, s); if (i % 16 === 15) add(dump, el("br")); });
      if (!payHex.length) add(dump, el("span", "dim", "(empty payload)"));
      add(panel, dump);
      const done = c.messages.filter(m => m[6] === index);
      for (const m of done) {
        if (m[9]) add(panel, el("h3", null, "Decompression (RFC 7692 §7.2.2)"),
          el("div", "dim", "compressed, " + m[7] + " bytes from " + m[4] + " frame" + (m[4] === 1 ? "" : "s") + ", + 00 00 ff ff appended by the receiver → " + m[8] + " bytes"),
          el("pre", null, m[10] !== null ? '"' + m[10] + '"' : hex(m[11], 256).join(" ")));
        else if (m[4] > 1) add(panel, el("h3", null, "Message (RFC 6455 §5.4)"), el("div", "dim", m[4] + " frames (#" + m[5] + "–#" + m[6] + "), " + m[8] + " bytes"),
          el("pre", null, m[10] !== null ? '"' + m[10] + '"' : hex(m[11], 256).join(" ")));
      }
      add(panel, el("h3", null, "Diagnostics"));
      if (!diags.length) add(panel, el("div", "ok", "none: this frame breaks none of the frame-level rules"));
      for (const d of diags) add(panel, diagBox(d));
    }
    """#
}
