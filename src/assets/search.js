/* explainer search: finds pages as you type, offline.
   The index is a manifest (search-index.js) and shards (search/*.js), loaded as scripts (so they
   work from file:// and under any subpath) only once the reader focuses the box or types; each
   pushes [key, data] onto window.explainerSearchQ.
   Every word of a query must match the start of a word of a page ("te" finds "text", not
   "Context"); a word of five or more letters also matches a word one typo away whose first letter
   is the same, ranked below exact matches. Results rank by where the words are (title, then
   headings, description, text), then by kind (the order of the manifest's kinds: the sections in
   order, then other pages, home, the timeline, tags); each shows its kind, the heading it matched
   and a snippet cut at word boundaries. The first 10 show, "Show all N" shows the rest. Arrow keys
   move through results; the count is announced politely to screen readers. */
(function () {
  "use strict";
  var queue = (window.explainerSearchQ = window.explainerSearchQ || []);
  var box = document.querySelector("[data-search]");
  if (!box || !window.Promise || !String.prototype.normalize) return;
  var root = box.getAttribute("data-root") || "./";
  var input = box.querySelector("input");
  var list = box.querySelector("ul");
  var status = box.querySelector("[role=status]");
  var more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.hidden = true;
  list.parentNode.insertBefore(more, list.nextSibling);
  box.hidden = false; // already shown by the inline script after the box, unless a template left it out

  var FIRST = 10, BATCH = 50;
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_", VALUE = [];
  for (var k = 0; k < 64; k++) VALUE[DIGITS.charCodeAt(k)] = k;

  // Script data by key: what ran before this script is in the queue; the rest arrives here.
  var got = {}, pending = {};
  queue.forEach(function (e) { got[e[0]] = e[1]; });
  queue.length = 0;
  queue.push = function (e) { got[e[0]] = e[1]; return 0; };
  function load(key, file) {
    if (got[key]) return Promise.resolve(got[key]);
    if (!pending[key]) {
      pending[key] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        var fail = function () { delete pending[key]; reject(new Error("could not load " + file)); };
        s.src = root + file;
        s.onload = function () { if (got[key]) resolve(got[key]); else fail(); };
        s.onerror = fail;
        document.head.appendChild(s);
      });
    }
    return pending[key];
  }
  function manifest() { return load("index", "search-index.js"); }
  function shard(m, family, i) {
    var key = family + i;
    return load(key, "search/" + key + "-" + m[family + "h"].substr(8 * i, 8) + ".js");
  }

  // Words as the index has them: lowercased, accents removed, split at anything not a letter or
  // digit, CJK characters one by one, at least two characters, cut after 32.
  var MARKS = /[\u0300-\u036f]/g, LETTER = /[\p{Alphabetic}\p{N}]/u, LETTERS = /^\p{Alphabetic}+$/u;
  function cjk(n) {
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x2ffff);
  }
  function fold(c) { return c.toLowerCase().normalize("NFD").replace(MARKS, ""); }
  // Calls f(word, start, end) for each word of `text`, until f returns true.
  function eachWord(text, f) {
    var w = "", n = 0, start = 0, end = 0, i = 0, stop = false;
    function add(d, at, next) { if (!n) start = at; if (n < 32) w += d; n++; end = next; }
    function flush() { if (n >= 2 && !stop && f(w, start, end)) stop = true; w = ""; n = 0; }
    for (var c of text) {
      var code = c.charCodeAt(0);
      if (code < 128) { // nearly all text: no case tables, no normalization
        if ((code >= 48 && code <= 57) || (code >= 97 && code <= 122)) add(c, i, i + 1);
        else if (code >= 65 && code <= 90) add(String.fromCharCode(code + 32), i, i + 1);
        else flush();
      } else {
        for (var d of fold(c)) {
          if (d === "\u03c2") d = "\u03c3";
          if (cjk(d.codePointAt(0))) { flush(); if (!stop && f(d, i, i + c.length)) stop = true; }
          else if (LETTER.test(d)) add(d, i, i + c.length);
          else flush();
        }
      }
      if (stop) return;
      i += c.length;
    }
    flush();
  }
  // The words of `text` as {w: word, s: start, e: end} (indices into the text).
  function words(text) {
    var out = [];
    eachWord(text, function (w, s, e) { out.push({ w: w, s: s, e: e }); });
    return out;
  }
  // Where the first `count` folded characters of the word at `from` end in the text.
  function prefixEnd(text, from, count) {
    var i = from;
    for (var c of text.slice(from)) {
      count -= Array.from(fold(c)).length;
      i += c.length;
      if (count <= 0) break;
    }
    return i;
  }

  // True if a prefix of `b` is at most one edit (insertion, deletion, substitution or swap of
  // neighbours) from `a`; both are arrays of characters.
  function near(a, b) {
    var m = a.length, n = Math.min(b.length, m + 1), prev2 = null, prev = [], cur, i, j, v;
    for (i = 0; i <= m; i++) prev.push(i);
    for (j = 1; j <= n; j++) {
      cur = [j];
      for (i = 1; i <= m; i++) {
        v = Math.min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[i - 2] + 1);
        cur.push(v);
      }
      if (cur[m] <= 1) return true;
      if (Math.min.apply(null, cur) > 1 && Math.min.apply(null, prev) > 1) return false;
      prev2 = prev;
      prev = cur;
    }
    return false;
  }

  // The last index of sorted `arr` whose value is <= x (0 if none).
  function floor(arr, x, key) {
    var lo = 0, hi = arr.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if ((key ? key(arr[mid]) : arr[mid]) <= x) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // Term shards that may hold words starting with p.
  function termShards(m, p) {
    if (!m.t.length) return [];
    var out = [floor(m.t, p)];
    for (var i = out[0] + 1; i < m.t.length && m.t[i].startsWith(p); i++) out.push(i);
    return out;
  }
  var parsed = {};
  function terms(i) {
    var key = "t" + i;
    if (!parsed[key]) {
      var flat = got[key], w = [], p = [];
      for (var k = 0; k < flat.length; k += 2) { w.push(flat[k]); p.push(flat[k + 1]); }
      parsed[key] = { w: w, p: p };
    }
    return parsed[key];
  }
  // Calls f(word, postings) for the words starting with p (or equal to it, if exact) in shard i.
  function scan(i, p, exact, f) {
    var t = terms(i), lo = 0, hi = t.w.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (t.w[mid] < p) lo = mid + 1; else hi = mid; }
    for (; lo < t.w.length && (exact ? t.w[lo] === p : t.w[lo].startsWith(p)); lo++) f(t.w[lo], t.p[lo]);
  }
  function postings(s, f) {
    var id = 0, v = 0, scale = 1;
    for (var k = 0; k < s.length; k++) {
      var d = VALUE[s.charCodeAt(k)];
      if (d >= 32) { v += (d - 32) * scale; scale *= 32; continue; }
      v += d * scale;
      id += Math.floor(v / 16);
      f(id, v % 16);
      id++;
      v = 0;
      scale = 1;
    }
  }

  // Title 100, heading 60, description 30, text 10: the best field a word is in counts.
  function points(fields) { return fields & 8 ? 100 : fields & 4 ? 60 : fields & 2 ? 30 : 10; }

  // One query word: its prefix, the words one typo away, and its best match in each page.
  function lookUp(m, word) {
    var q = { w: word, typos: new Set(), hits: new Map() };
    var need = termShards(m, word).map(function (i) { return shard(m, "t", i); });
    var chars = Array.from(word), first = chars[0];
    var typo = chars.length >= 5 && LETTERS.test(word) && m.w.length ? shard(m, "w", floor(m.w, first)).then(function (flat) {
      var found = [];
      for (var k = 0; k < flat.length; k += 2) {
        if (flat[k] !== first) continue;
        flat[k + 1].split(" ").forEach(function (t) {
          if (!t.startsWith(word) && near(chars, Array.from(t))) found.push(t);
        });
      }
      return Promise.all(found.map(function (t) {
        return Promise.all(termShards(m, t).map(function (i) { return shard(m, "t", i); })).then(function () { return t; });
      }));
    }) : Promise.resolve([]);
    return Promise.all(need).then(function () { return typo; }).then(function (typos) {
      var add = function (w, post, kind) {
        postings(post, function (id, fields) {
          var pts = points(fields) + (kind === 0 ? 5 : 0);
          var best = q.hits.get(id), t = kind === 2 ? 1 : 0;
          if (!best || t < best[1] || (t === best[1] && pts > best[0])) q.hits.set(id, [pts, t, fields]);
        });
      };
      termShards(m, word).forEach(function (i) {
        scan(i, word, false, function (w, post) { add(w, post, w === word ? 0 : 1); });
      });
      typos.forEach(function (t) {
        q.typos.add(t);
        termShards(m, t).forEach(function (i) { scan(i, t, true, function (w, post) { add(w, post, 2); }); });
      });
      return q;
    });
  }

  // Pages matching every word: [id, words matched only by a typo, points], best first.
  function rank(qs) {
    var by = qs.slice().sort(function (a, b) { return a.hits.size - b.hits.size; }), found = [];
    by[0].hits.forEach(function (h, id) {
      var typos = 0, pts = 0;
      for (var k = 0; k < qs.length; k++) {
        var x = qs[k].hits.get(id);
        if (!x) return;
        pts += x[0];
        typos += x[1];
      }
      found.push([id, typos, pts]);
    });
    return found.sort(function (a, b) { return a[1] - b[1] || b[2] - a[2] || a[0] - b[0]; });
  }

  function docShard(m, id) { return floor(m.d, id); }
  function loadDocs(m, ids) {
    var need = {};
    ids.forEach(function (id) { need[docShard(m, id)] = 1; });
    return Promise.all(Object.keys(need).map(function (s) { return shard(m, "d", +s); }));
  }
  // A page: [title, path, description, [heading, …], [heading id, …], text].
  function doc(m, id) { var s = docShard(m, id); return got["d" + s][id - m.d[s]]; }
  function kind(m, id) { return m.kinds[floor(m.kinds, id, function (k) { return k[1]; })][0]; }

  // Appends `text` to `el`, marking the query words: a matched prefix, or a whole word one typo away.
  function highlight(el, text, qs) {
    var pos = 0;
    words(text).forEach(function (x) {
      var end = -1;
      qs.forEach(function (q) {
        if (x.w.startsWith(q.w)) end = Math.max(end, prefixEnd(text, x.s, Array.from(q.w).length));
        else if (q.typos.has(x.w)) end = Math.max(end, x.e);
      });
      if (end < 0 || x.s < pos) return;
      el.appendChild(document.createTextNode(text.slice(pos, x.s)));
      var mk = document.createElement("mark");
      mk.textContent = text.slice(x.s, end);
      el.appendChild(mk);
      pos = end;
    });
    el.appendChild(document.createTextNode(text.slice(pos)));
  }
  function matches(x, qs) {
    return qs.some(function (q) { return x.w.startsWith(q.w) || q.typos.has(x.w); });
  }
  // About `room` characters of `text` around `at`, cut at spaces.
  function cut(text, at, room) {
    var start = Math.max(0, at - Math.floor(room / 3)), end = Math.min(text.length, start + room);
    if (start > 0) {
      var sp = text.slice(start, at).search(/\s/);
      start = sp < 0 ? at : start + sp + 1;
    }
    if (end < text.length) {
      var back = text.slice(at, end).search(/\s\S*$/);
      if (back > 0) end = at + back;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
  }
  function snippet(d, qs) {
    var text = d[5] || "", at = -1;
    eachWord(text, function (w, s) { if (matches({ w: w }, qs)) { at = s; return true; } });
    return at >= 0 ? cut(text, at, 160) : cut(d[2] || text, 0, 160);
  }

  function item(m, r, qs) {
    var d = doc(m, r[0]), heading = null;
    // The heading a word matched best in, if any (its best field is a heading).
    if (qs.some(function (q) { var h = q.hits.get(r[0]); return h && !(h[2] & 8) && h[2] & 4; })) {
      for (var k = 0; k < d[3].length && !heading; k++) {
        if (words(d[3][k]).some(function (x) { return matches(x, qs); })) heading = { text: d[3][k], id: d[4][k] };
      }
    }
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = root + d[1] + (heading ? "#" + heading.id : "");
    var label = document.createElement("span");
    label.className = "search-kind";
    label.textContent = kind(m, r[0]);
    a.appendChild(label);
    a.appendChild(document.createTextNode(" "));
    var title = document.createElement("span");
    title.className = "search-title";
    highlight(title, d[0], qs);
    a.appendChild(title);
    if (heading) {
      var h = document.createElement("span");
      h.className = "search-heading";
      h.appendChild(document.createTextNode(" › "));
      highlight(h, heading.text, qs);
      a.appendChild(h);
    }
    var p = document.createElement("span");
    p.className = "search-snippet";
    highlight(p, snippet(d, qs), qs);
    a.appendChild(p);
    li.appendChild(a);
    return li;
  }

  var run = 0, last = null;
  function failed(e) { status.textContent = "Search is not available: " + e.message; }
  function search() {
    var my = ++run, text = input.value.trim(), seen = {};
    var ws = words(text).map(function (x) { return x.w; }).filter(function (w) { return !seen[w] && (seen[w] = 1); });
    if (!ws.length) { list.textContent = ""; more.hidden = true; status.textContent = ""; last = null; return; }
    manifest().then(function (m) {
      return Promise.all(ws.map(function (w) { return lookUp(m, w); })).then(function (qs) {
        var found = rank(qs), shown = found.slice(0, FIRST).map(function (r) { return r[0]; });
        return loadDocs(m, shown).then(function () {
          if (my !== run) return;
          last = { m: m, qs: qs, found: found, shown: Math.min(FIRST, found.length) };
          list.textContent = "";
          found.slice(0, FIRST).forEach(function (r) { list.appendChild(item(m, r, qs)); });
          status.textContent = found.length ? found.length + (found.length === 1 ? " result" : " results")
                                            : "No results for “" + text + "”";
          more.hidden = found.length <= FIRST;
          more.textContent = "Show all " + found.length + " results";
        });
      });
    }).catch(function (e) { if (my === run) failed(e); });
  }
  // Shows the rest of the results, a batch of pages at a time, and focuses the first one added.
  function showAll() {
    var my = run, s = last;
    if (!s) return;
    more.hidden = true;
    var focused = false;
    (function next() {
      if (my !== run || s.shown >= s.found.length) return;
      var batch = s.found.slice(s.shown, s.shown + BATCH);
      loadDocs(s.m, batch.map(function (r) { return r[0]; })).then(function () {
        if (my !== run) return;
        batch.forEach(function (r) {
          var li = item(s.m, r, s.qs);
          list.appendChild(li);
          if (!focused) { li.querySelector("a").focus(); focused = true; }
        });
        s.shown += batch.length;
        next();
      }).catch(function (e) { if (my === run) failed(e); });
    })();
  }

  input.addEventListener("focus", function () { manifest().catch(function () {}); });
  input.addEventListener("input", search);
  more.addEventListener("click", showAll);
  box.addEventListener("keydown", function (ev) {
    var items = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!more.hidden) items.push(more);
    var i = items.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && items.length) { ev.preventDefault(); items[Math.min(i + 1, items.length - 1)].focus(); }
    else if (ev.key === "ArrowUp" && items.length) { ev.preventDefault(); (i <= 0 ? input : items[i - 1]).focus(); }
    else if (ev.key === "Escape") { input.value = ""; search(); input.focus(); }
  });
  // The box shows before this script runs: a reader may have focused it or typed already.
  if (document.activeElement === input) manifest().catch(function () {});
  if (input.value) search();
})();
