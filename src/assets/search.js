/* explainer search: finds notes as you type, offline. The index is window.explainerSearch,
   loaded by search-index.js (a script, so it works from file:// and under any subpath).
   Ranks title, then heading, then description, then text matches; highlights matches;
   arrow keys move through results; results are announced politely to screen readers. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  var index = window.explainerSearch;
  if (!box || !index) return;
  var root = box.getAttribute("data-root") || "./";
  var input = box.querySelector("input");
  var list = box.querySelector("ul");
  var status = box.querySelector("[role=status]");
  box.hidden = false;

  var MARKS = /[\u0300-\u036f]/g;
  // Lowercased, accent-free text plus, for each of its characters, the index in the original.
  function fold(s) {
    var out = "", map = [];
    for (var i = 0; i < s.length; i++) {
      var f = s[i].normalize("NFD").replace(MARKS, "").toLowerCase();
      for (var j = 0; j < f.length; j++) { out += f[j]; map.push(i); }
    }
    map.push(s.length);
    return { text: out, map: map };
  }
  var docs = index.map(function (e) {
    return { e: e, t: fold(e.t), d: fold(e.d || ""), x: fold(e.x || ""),
             h: (e.h || []).map(function (h) { return { text: h[0], id: h[1], f: fold(h[0]) }; }) };
  });

  function terms(q) {
    return fold(q).text.split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1; });
  }
  function wordStart(f, at) { return at === 0 || /[^\p{L}\p{N}]/u.test(f.text[at - 1]); }
  function score(doc, ws) {
    var total = 0, heading = null;
    for (var i = 0; i < ws.length; i++) {
      var w = ws[i], s = 0, at;
      if ((at = doc.t.text.indexOf(w)) >= 0) s = wordStart(doc.t, at) ? 120 : 90;
      for (var k = 0; k < doc.h.length && s < 60; k++) {
        if ((at = doc.h[k].f.text.indexOf(w)) >= 0) { s = Math.max(s, 60); heading = heading || doc.h[k]; }
      }
      if (!s && doc.d.text.indexOf(w) >= 0) s = 30;
      if (!s && doc.x.text.indexOf(w) >= 0) s = 10;
      if (!s) return null; // every word must match somewhere
      total += s;
    }
    return { score: total, heading: heading };
  }
  // Appends `s` to `el`, wrapping every match of the words in <mark>.
  function highlight(el, s, f, ws) {
    var hits = [];
    ws.forEach(function (w) {
      var at = f.text.indexOf(w);
      while (at >= 0) { hits.push([f.map[at], f.map[at + w.length]]); at = f.text.indexOf(w, at + w.length); }
    });
    hits.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    hits.forEach(function (h) {
      if (h[0] < pos) return;
      el.appendChild(document.createTextNode(s.slice(pos, h[0])));
      var m = document.createElement("mark");
      m.textContent = s.slice(h[0], h[1]);
      el.appendChild(m);
      pos = h[1];
    });
    el.appendChild(document.createTextNode(s.slice(pos)));
  }
  function snippet(doc, ws) {
    var src = doc.x.text.indexOf(ws[0]) >= 0 ? doc.x : null;
    var text = doc.e.x || doc.e.d || "";
    if (!src) return { s: (doc.e.d || text).slice(0, 140), f: fold((doc.e.d || text).slice(0, 140)) };
    var at = src.map[src.text.indexOf(ws[0])];
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + 100);
    var s = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    return { s: s, f: fold(s) };
  }
  function render() {
    var ws = terms(input.value);
    list.textContent = "";
    if (!ws.length) { status.textContent = ""; return; }
    var found = [];
    docs.forEach(function (doc) { var r = score(doc, ws); if (r) found.push({ doc: doc, r: r }); });
    found.sort(function (a, b) { return b.r.score - a.r.score || (a.doc.e.t < b.doc.e.t ? -1 : 1); });
    status.textContent = found.length ? found.length + (found.length === 1 ? " note found" : " notes found")
                                      : "No notes match “" + input.value.trim() + "”";
    found.slice(0, 10).forEach(function (hit) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = root + hit.doc.e.p + (hit.r.heading ? "#" + hit.r.heading.id : "");
      var title = document.createElement("span");
      title.className = "search-title";
      highlight(title, hit.doc.e.t, hit.doc.t, ws);
      a.appendChild(title);
      if (hit.r.heading) {
        var h = document.createElement("span");
        h.className = "search-heading";
        h.appendChild(document.createTextNode(" › "));
        highlight(h, hit.r.heading.text, hit.r.heading.f, ws);
        a.appendChild(h);
      }
      var sn = snippet(hit.doc, ws), p = document.createElement("span");
      p.className = "search-snippet";
      highlight(p, sn.s, sn.f, ws);
      a.appendChild(p);
      li.appendChild(a);
      list.appendChild(li);
    });
  }
  input.addEventListener("input", render);
  box.addEventListener("keydown", function (ev) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && links.length) { ev.preventDefault(); links[Math.min(i + 1, links.length - 1)].focus(); }
    else if (ev.key === "ArrowUp" && links.length) { ev.preventDefault(); (i <= 0 ? input : links[i - 1]).focus(); }
    else if (ev.key === "Escape") { input.value = ""; render(); input.focus(); }
  });
  if (input.value) render();
})();
