/* explainer link previews: hovering or focusing a link to another note shows the note's title and
   description in a small popover. A progressive enhancement: links work without it, and it stays
   off on touch screens. The data are scripts (previews/<n>.js, each calling explainerPreviews),
   loaded only when a link to one of their notes is first hovered or focused, so they work from
   file:// and under any subpath. The shard of a note is FNV-1a (32 bits) of its URL's UTF-8 bytes
   modulo explainerPreviewShards, as the build computes it. The popover is positioned over the
   page (no layout shift), named by the link's aria-describedby, and Escape hides it. */
(function () {
  "use strict";
  var me = document.currentScript;
  var shards = window.explainerPreviewShards;
  if (!me || !shards || !window.matchMedia || !window.URL || !window.TextEncoder) return;
  if (!matchMedia("(hover: hover) and (pointer: fine)").matches) return;
  var root = me.getAttribute("data-root") || "./";
  var base = new URL(root, location.href);
  var data = Object.create(null);
  var shardState = []; // undefined: not asked for; an array: callbacks waiting; true: loaded
  var pop = null, current = null, pending = null, described = null, timer = 0, dismissed = null;
  var HOVER_MS = 200, LEAVE_MS = 150;

  window.explainerPreviews = function (entries) {
    for (var k in entries) data[k] = entries[k];
  };

  function fnv(s) {
    var bytes = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h;
  }

  // The URL (as the build writes it: "topics/xi-visit/", "" for home) of the note a link points
  // to, or null for a link outside the site or within this page.
  function noteOf(a) {
    var href = a.getAttribute("href");
    if (href === null) href = a.getAttribute("xlink:href");
    if (!href || href.charAt(0) === "#" || a.hasAttribute("download")) return null;
    var u;
    try { u = new URL(href, location.href); } catch (e) { return null; }
    if (u.protocol !== base.protocol || u.host !== base.host) return null;
    if (u.pathname.indexOf(base.pathname) !== 0) return null;
    var key;
    try { key = decodeURIComponent(u.pathname.slice(base.pathname.length)); } catch (e) { return null; }
    key = key.replace(/(^|\/)index\.html$/, "$1");
    if (u.pathname === location.pathname) return null;
    return key;
  }

  function load(n, then) {
    var state = shardState[n];
    if (state === true) return then();
    if (state) return state.push(then);
    shardState[n] = [then];
    var s = document.createElement("script");
    s.src = root + "previews/" + n + ".js";
    s.onload = s.onerror = function () {
      var waiting = shardState[n];
      shardState[n] = true;
      waiting.forEach(function (f) { f(); });
    };
    document.head.appendChild(s);
  }

  function popover() {
    if (pop) return pop;
    pop = document.createElement("div");
    pop.id = "x-link-preview";
    pop.className = "link-preview";
    pop.setAttribute("role", "tooltip");
    pop.hidden = true;
    pop.style.position = "absolute";
    pop.addEventListener("mouseenter", function () { clearTimeout(timer); });
    pop.addEventListener("mouseleave", hideSoon);
    document.body.appendChild(pop);
    return pop;
  }

  function place(a, p) {
    var r = a.getClientRects()[0] || a.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    p.style.left = "0px";
    p.style.top = "0px";
    var w = p.offsetWidth, h = p.offsetHeight;
    var left = Math.max(8, Math.min(r.left, width - w - 8));
    var top = r.bottom + 6;
    if (top + h > window.innerHeight && r.top - h - 6 > 0) top = r.top - h - 6;
    p.style.left = Math.round(left + window.scrollX) + "px";
    p.style.top = Math.round(top + window.scrollY) + "px";
  }

  function show(a) {
    var key = noteOf(a);
    if (key === null || a === dismissed) return;
    current = a;
    load(fnv(key) % shards, function () {
      var e = data[key];
      if (current !== a || !e) return;
      var p = popover();
      p.textContent = "";
      var t = document.createElement("strong");
      t.textContent = e[0];
      p.appendChild(t);
      if (e[1]) {
        var d = document.createElement("span");
        d.textContent = e[1];
        p.appendChild(d);
      }
      unlink();
      described = { a: a, old: a.getAttribute("aria-describedby") };
      a.setAttribute("aria-describedby", (described.old ? described.old + " " : "") + p.id);
      p.hidden = false;
      place(a, p);
    });
  }

  function unlink() {
    if (!described) return;
    if (described.old === null) described.a.removeAttribute("aria-describedby");
    else described.a.setAttribute("aria-describedby", described.old);
    described = null;
  }

  function hide() {
    clearTimeout(timer);
    pending = null;
    current = null;
    unlink();
    if (pop) pop.hidden = true;
  }

  function hideSoon() {
    clearTimeout(timer);
    pending = null;
    timer = setTimeout(hide, LEAVE_MS);
  }

  // Links in the page's main content (the whole page if it has no <main>).
  function linkAt(node) {
    var a = node && node.closest ? node.closest("a") : null;
    if (!a) return null;
    var main = document.querySelector("main");
    return !main || main.contains(a) ? a : null;
  }

  document.addEventListener("mouseover", function (ev) {
    var a = linkAt(ev.target);
    if (!a || a === current || a === pending) return;
    clearTimeout(timer);
    pending = a;
    timer = setTimeout(function () { pending = null; show(a); }, HOVER_MS);
  });
  document.addEventListener("mouseout", function (ev) {
    var a = linkAt(ev.target);
    if (!a || a.contains(ev.relatedTarget)) return;
    if (a === dismissed) dismissed = null;
    if (pop && pop.contains(ev.relatedTarget)) return;
    hideSoon();
  });
  // Focus from the keyboard only: a click focuses the link too, and then leaves the page.
  document.addEventListener("focusin", function (ev) {
    var a = linkAt(ev.target);
    if (!a || (a.matches && !a.matches(":focus-visible"))) return;
    clearTimeout(timer);
    dismissed = null;
    show(a);
  });
  document.addEventListener("focusout", function (ev) {
    if (ev.target === current || (described && ev.target === described.a)) hide();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && (current || (pop && !pop.hidden))) {
      dismissed = current;
      hide();
    }
  });
})();
