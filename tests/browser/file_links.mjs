// Real-browser end-to-end test of the microsite opened from disk (`explainer build --file-links`).
//
// Copies the repo's site sources (content/, templates/, static/, site.yaml) into a temporary
// folder, builds them with --file-links, and opens out/index.html as a file:// URL in headless
// Chromium (Debian's /usr/bin/chromium driven by playwright-core). Checks:
//   - the stylesheet applies, no local file fails to load, no script errors;
//   - clicking home -> topic note -> person note -> Timeline (navigation) lands on the right
//     file:// …/index.html with the right <h1>;
//   - search (`[data-search]`) shows up, finds each topic note by a word of its body, marks the
//     word, and ArrowDown + Enter opens the result;
//   - with JavaScript off the page still works (h1, navigation) and the search box stays hidden;
//   - every local link, stylesheet, script and image of every page points to a file that exists,
//     and the header/footer links are the same as in a default (pretty-URL) build.
//
// Env: EXPLAINER_BIN (default target/debug/explainer in this repo), CHROMIUM (default /usr/bin/chromium),
//      EXPLAINER_SITE (folder holding the site sources; default this repo).
// Output: one `ok - …` / `not ok - …` line per check, then `N passed, M failed`; exit 1 on failure.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSite, check, ms, note, now, resources, run } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const BIN = process.env.EXPLAINER_BIN || path.join(repoRoot, 'target', 'debug', 'explainer');
const SITE = path.resolve(process.env.EXPLAINER_SITE || repoRoot);
const STEP_MS = 10000;
const WATCHDOG_MS = 120000;

// One word per topic note that occurs in the note's body, not in its title, and in no other note,
// so the note is the top result (checked below against the Markdown sources, so a content edit
// that breaks the choice is reported as such rather than as a search failure).
const TOPICS = [
  { md: 'topics/xi-visit.md', rel: 'topics/xi-visit/index.html', word: 'seriously' },
  { md: 'topics/trilateral-summit.md', rel: 'topics/trilateral-summit/index.html', word: 'neighbors' },
  { md: 'topics/russia-north-korea.md', rel: 'topics/russia-north-korea/index.html', word: 'attribution' },
];
const PERSON = { md: 'people/xi-jinping.md', rel: 'people/xi-jinping/index.html' };
const TIMELINE = { rel: 'timeline/index.html', title: 'Timeline' };


// Resources to release whatever happens.
const { state, launch, cleanup } = resources();

// Title from a note's front matter (the h1 the page must show).
function frontMatter(md) {
  const text = fs.readFileSync(path.join(SITE, 'content', md), 'utf8');
  const m = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/);
  const head = m ? m[1] : '';
  const body = m ? m[2] : text;
  const t = head.match(/^title:\s*(.*)$/m);
  let title = t ? t[1].trim() : path.basename(md, '.md');
  if (/^".*"$/.test(title)) title = JSON.parse(title);
  else if (/^'.*'$/.test(title)) title = title.slice(1, -1).replace(/''/g, "'");
  return { title, body };
}

// Records a failed load. ERR_ABORTED is left out: it means the next navigation cancelled a load
// still in flight (the favicon, which `load` does not wait for), not that a file is missing.
function recordFailure(list, request, relOf) {
  const error = request.failure()?.errorText || 'failed';
  if (error !== 'net::ERR_ABORTED') list.push(`${relOf(request.url())}: ${error}`);
}

// The notes (relative to content/) whose Markdown holds `word` as a whole word.
function notesWith(word) {
  const re = new RegExp(`\\b${word}\\b`, 'i');
  const root = path.join(SITE, 'content');
  return fs
    .readdirSync(root, { recursive: true })
    .filter((f) => f.endsWith('.md') && re.test(fs.readFileSync(path.join(root, f), 'utf8')))
    .map((f) => f.split(path.sep).join('/'));
}

const build = (src, out, fileLinks) => buildSite(BIN, src, out, fileLinks ? ['--file-links'] : []);

// The items of `a` left after taking out one per item of `b` (a multiset difference).
function minus(a, b) {
  const left = [...b];
  return a.filter((x) => {
    const i = left.indexOf(x);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

function htmlFiles(dir, rel = '') {
  const found = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) found.push(...htmlFiles(dir, r));
    else if (e.name.endsWith('.html')) found.push(r);
  }
  return found.sort();
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`no explainer binary at ${BIN} (run cargo build)`);

  // 1. Copy the sources and build them for file://.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'explainer-file-links-'));
  state.dirs.push(tmp);
  for (const name of ['content', 'templates', 'static', 'site.yaml']) {
    const from = path.join(SITE, name);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(tmp, name), { recursive: true });
  }
  const out = path.join(tmp, 'out');
  const b = build(tmp, out, true);
  const built = check(
    'explainer build --file-links succeeds',
    b.status === 0 && fs.existsSync(path.join(out, 'index.html')),
    b.status === 0 ? (b.stdout || '').trim() : `exit ${b.status}: ${(b.stderr || b.error || '').toString().trim().slice(0, 400)}`,
  );
  if (!built) return;
  const size = (f) => (fs.existsSync(path.join(out, f)) ? `${fs.statSync(path.join(out, f)).size} bytes` : 'missing');
  const shards = fs.existsSync(path.join(out, 'search')) ? fs.readdirSync(path.join(out, 'search')) : [];
  const shardBytes = shards.reduce((sum, f) => sum + fs.statSync(path.join(out, 'search', f)).size, 0);
  note(`out/search-index.js ${size('search-index.js')}, out/search/ ${shards.length} shards, ${shardBytes} bytes, out/search.js ${size('search.js')}`);

  const fileUrl = (rel) => pathToFileURL(path.join(out, rel)).href;
  const relOf = (url) => {
    try {
      const u = new URL(url);
      if (u.protocol !== 'file:') return url;
      return path.relative(out, fileURLToPath(u.href.replace(/[?#].*$/, ''))).split(path.sep).join('/');
    } catch {
      return url;
    }
  };
  const topics = TOPICS.map((t) => ({ ...t, ...frontMatter(t.md) }));
  const person = { ...PERSON, ...frontMatter(PERSON.md) };

  // 2. The site with JavaScript on.
  const context = await launch();
  const page = context.pages()[0] || (await context.newPage());
  const failures = []; // local loads that failed: file not found, HTTP-like errors
  const errors = []; // uncaught exceptions and console errors
  page.on('requestfailed', (r) => recordFailure(failures, r, relOf));
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${relOf(r.url())}: status ${r.status()}`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${relOf(m.location().url || 'no url')})`);
  });
  const since = (list, n) => list.slice(n).join(' | ').slice(0, 400);

  // What an unstyled document looks like in this browser, to tell that style.css applied.
  await page.goto('about:blank');
  const PROPS = ['display', 'margin', 'fontSize', 'fontFamily', 'backgroundColor', 'color'];
  const bodyStyle = (props) =>
    page.evaluate((ps) => {
      const cs = getComputedStyle(document.body);
      return Object.fromEntries(ps.map((p) => [p, cs[p]]));
    }, props);
  await page.setContent('<!DOCTYPE html><html><body><p>x</p></body></html>');
  const plain = await bodyStyle(PROPS);

  let f0 = failures.length;
  let e0 = errors.length;
  await page.goto(fileUrl('index.html'), { waitUntil: 'load', timeout: STEP_MS });
  const styled = await bodyStyle(PROPS);
  const changed = PROPS.filter((p) => styled[p] !== plain[p]);
  const sheet = await page.evaluate(() =>
    [...document.querySelectorAll('link[rel~="stylesheet"]')].map((l) => ({
      href: l.getAttribute('href'),
      loaded: !!l.sheet,
    })),
  );
  const styleLink = sheet.find((s) => /(^|\/)style\.css(\?|$)/.test(s.href || ''));
  check(
    'index.html: style.css is loaded and styles the body',
    !!styleLink && styleLink.loaded && changed.length >= 2,
    `${styleLink ? `${styleLink.href} ${styleLink.loaded ? 'loaded' : 'NOT loaded'}` : 'no <link> to style.css'}; ` +
      `body differs from an unstyled page in ${changed.map((p) => `${p}=${styled[p]}`).join(', ') || 'nothing'}`,
  );
  check('index.html: no failed local loads', failures.length === f0, since(failures, f0) || `${page.url()}`);

  // 3. Follow links by clicking them.
  const h1 = () => page.locator('h1').first().innerText().then((t) => t.trim()).catch((e) => `no h1: ${e.message}`);
  async function follow(name, link, target, title) {
    const fb = failures.length;
    const n = await link.count();
    if (!check(`${name}: the link exists`, n > 0, `${n} match(es) on ${relOf(page.url())}`)) return false;
    const want = fileUrl(target);
    try {
      await Promise.all([page.waitForURL(want, { timeout: STEP_MS, waitUntil: 'load' }), link.first().click()]);
    } catch (e) {
      if (!e || e.name !== 'TimeoutError') throw e;
    }
    const url = page.url();
    const got = await h1();
    return check(
      `${name}: click opens ${target} with <h1> "${title}"`,
      url === want && url.startsWith('file://') && url.endsWith('/index.html') && got === title && failures.length === fb,
      `${url.startsWith('file://') ? relOf(url) : url}, h1 "${got}"${failures.length > fb ? `, failed loads: ${since(failures, fb)}` : ''}`,
    );
  }
  const inMain = (rel) => page.locator(`main a[href$="${rel}"]`);
  const [xi] = topics;
  await follow('home → topic note', inMain(xi.rel), xi.rel, xi.title);
  await follow('topic note → person note', inMain(person.rel), person.rel, person.title);
  await follow(
    'person note → Timeline (main navigation)',
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Timeline', exact: true }),
    TIMELINE.rel,
    TIMELINE.title,
  );

  // 4. Search, from pages at three depths: home, a topic note, the topics section.
  const box = page.locator('[data-search]');
  const input = page.locator('[data-search] input');
  const results = page.locator('#x-search-results a');
  await page.goto(fileUrl('index.html'), { waitUntil: 'load', timeout: STEP_MS });
  for (const [i, t] of topics.entries()) {
    if (i === 2) {
      // Reach the topics section by clicking, so the last search runs one level deep.
      const sec = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topics', exact: true });
      await follow('topic note → Topics section (main navigation)', sec, 'topics/index.html', frontMatter('topics/_index.md').title);
    }
    const from = relOf(page.url());
    const inBody = new RegExp(`\\b${t.word}\\b`, 'i').test(t.body);
    const inTitle = t.title.toLowerCase().includes(t.word);
    check(`"${t.word}" is in the body of content/${t.md} and not in its title`, inBody && !inTitle, `title "${t.title}"`);
    const elsewhere = notesWith(t.word).filter((md) => md !== t.md);
    check(`"${t.word}" is in no other note`, elsewhere.length === 0, elsewhere.join(', '));

    const fb = failures.length;
    const visible = await box.isVisible().catch(() => false);
    if (!check(`${from}: the search box is visible`, visible, visible ? '' : `hidden=${await box.getAttribute('hidden').catch(String)}`)) continue;
    await input.fill(t.word);
    const want = fileUrl(t.rel);
    let hits = [];
    try {
      await page.waitForFunction((w) => [...document.querySelectorAll('#x-search-results a')].some((a) => a.href === w), want, {
        timeout: STEP_MS,
        polling: 50,
      });
    } catch (e) {
      if (!e || e.name !== 'TimeoutError') throw e;
    }
    hits = await results.evaluateAll((as) =>
      as.map((a) => ({ href: a.href, marks: [...a.querySelectorAll('mark')].map((m) => m.textContent) })),
    );
    const hit = hits.find((h) => h.href === want);
    check(
      `${from}: searching "${t.word}" lists ${t.rel}`,
      !!hit,
      `${hits.length} result(s): ${hits.map((h) => relOf(h.href)).join(', ') || 'none'}; status "${await page
        .locator('#x-search-status')
        .innerText()
        .catch(() => '')}"`,
    );
    check(
      `${from}: the result marks "${t.word}"`,
      !!hit && hit.marks.some((m) => m.toLowerCase() === t.word),
      hit ? `marks: ${JSON.stringify(hit.marks)}` : 'no result',
    );

    // Keyboard: ArrowDown focuses the first result, Enter opens it.
    await input.focus();
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      const first = document.querySelector('#x-search-results a');
      return { isFirst: !!first && a === first, href: a && a.href ? a.href : null, tag: a ? a.tagName : null };
    });
    check(
      `${from}: ArrowDown focuses the first result`,
      focused.isFirst,
      focused.href ? relOf(focused.href) : `focus on ${focused.tag}`,
    );
    const firstHref = hits[0]?.href;
    const target = firstHref ? relOf(firstHref) : '(none)';
    try {
      await Promise.all([
        page.waitForURL((u) => u.href !== fileUrl(from), { timeout: STEP_MS, waitUntil: 'load' }),
        page.keyboard.press('Enter'),
      ]);
    } catch (e) {
      if (!e || e.name !== 'TimeoutError') throw e;
    }
    const url = page.url();
    const got = await h1();
    check(
      `${from}: Enter opens ${t.rel} with <h1> "${t.title}"`,
      firstHref === want && url === want && got === t.title && failures.length === fb,
      `first result ${target}; now at ${url.startsWith('file://') ? relOf(url) : url}, h1 "${got}"` +
        (failures.length > fb ? `, failed loads: ${since(failures, fb)}` : ''),
    );
  }
  check('no failed local loads while browsing', failures.length === f0, since(failures, f0));
  check('no script errors while browsing', errors.length === e0, since(errors, e0));

  // The failure listener really sees a missing file:// load (so "no failed loads" means something).
  f0 = failures.length;
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const img = document.createElement('img');
        img.onerror = img.onload = () => resolve();
        img.src = 'no-such-file-for-the-test.png';
        document.body.appendChild(img);
      }),
  );
  await page.waitForTimeout(200);
  check(
    'control: a missing local file is reported as a failed load',
    failures.slice(f0).some((f) => f.includes('no-such-file-for-the-test.png')),
    since(failures, f0) || 'nothing reported',
  );
  await state.contexts.shift().close();

  // 5. JavaScript off: the page still works, the search box stays hidden.
  const nojs = await launch({ javaScriptEnabled: false });
  const p2 = nojs.pages()[0] || (await nojs.newPage());
  const f2 = [];
  p2.on('requestfailed', (r) => recordFailure(f2, r, relOf));
  await p2.goto(fileUrl('index.html'), { waitUntil: 'load', timeout: STEP_MS });
  const homeTitle = frontMatter('_index.md').title;
  const noJs = await p2.evaluate(() => {
    const nav = document.querySelector('nav[aria-label="Main"]');
    const box = document.querySelector('[data-search]');
    return {
      h1: (document.querySelector('h1')?.textContent || '').trim(),
      nav: nav ? [...nav.querySelectorAll('a')].map((a) => a.textContent.trim()) : null,
      box: box ? { hidden: box.hasAttribute('hidden'), shown: box.getClientRects().length > 0 } : null,
    };
  });
  check(`without JavaScript: index.html shows <h1> "${homeTitle}"`, noJs.h1 === homeTitle, `h1 "${noJs.h1}"`);
  check(
    'without JavaScript: the main navigation is there',
    !!noJs.nav && ['Home', 'Timeline'].every((t) => noJs.nav.includes(t)) && noJs.nav.length >= 4,
    noJs.nav ? noJs.nav.join(', ') : 'no nav[aria-label=Main]',
  );
  check(
    'without JavaScript: the search box has `hidden` and is not shown',
    !!noJs.box && noJs.box.hidden && !noJs.box.shown,
    noJs.box ? `hidden attribute ${noJs.box.hidden ? 'present' : 'absent'}, ${noJs.box.shown ? 'rendered' : 'not rendered'}` : 'no [data-search]',
  );
  const viaNav = p2.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Timeline', exact: true });
  await Promise.all([p2.waitForURL(fileUrl(TIMELINE.rel), { timeout: STEP_MS }).catch(() => {}), viaNav.click()]);
  const tl = (await p2.locator('h1').first().innerText().catch(() => '')).trim();
  check('without JavaScript: the Timeline link works', p2.url() === fileUrl(TIMELINE.rel) && tl === TIMELINE.title, `${relOf(p2.url())}, h1 "${tl}"`);

  // 6. Every page: local references point to files; header and footer match a default build.
  const pretty = path.join(tmp, 'out-pretty');
  const bp = build(tmp, pretty, false);
  const pages = htmlFiles(out);
  const broken = [];
  const differ = [];
  const dirLinks = [];
  const collect = () =>
    p2.evaluate(() => {
      const refs = [];
      for (const el of document.querySelectorAll('a[href], link[href], script[src], img[src], source[src], iframe[src]')) {
        // An SVG link's `href` is an SVGAnimatedString: resolve its attribute instead.
        const href = typeof el.href === 'string' ? el.href : el.getAttribute('href') && new URL(el.getAttribute('href'), document.baseURI).href;
        refs.push(href || el.src);
      }
      const chrome = (sel) =>
        [...document.querySelectorAll(sel)].flatMap((el) => [...el.querySelectorAll('a')].map((a) => a.textContent.trim()));
      return { refs, chrome: chrome('body > header, body > footer') };
    });
  for (const rel of pages) {
    await p2.goto(fileUrl(rel), { waitUntil: 'load', timeout: STEP_MS });
    const got = await collect();
    for (const ref of got.refs) {
      if (!ref.startsWith('file:')) continue;
      const file = fileURLToPath(ref.replace(/[?#].*$/, ''));
      let st = null;
      try {
        st = fs.statSync(file);
      } catch {}
      if (!st) broken.push(`${rel} → ${relOf(ref)}`);
      else if (!st.isFile()) dirLinks.push(`${rel} → ${relOf(ref)}`);
    }
    // The default build's 404.html links from base_url's path (a server shows it at any depth),
    // so it is not meant to be opened from disk: compare it only in the --file-links build.
    if (bp.status === 0 && rel !== '404.html' && fs.existsSync(path.join(pretty, rel))) {
      await p2.goto(pathToFileURL(path.join(pretty, rel)).href, { waitUntil: 'load', timeout: STEP_MS });
      const want = await collect();
      if (JSON.stringify(want.chrome) !== JSON.stringify(got.chrome)) {
        const missing = minus(want.chrome, got.chrome);
        const extra = minus(got.chrome, want.chrome);
        const parts = [];
        if (missing.length) parts.push(`missing ${JSON.stringify(missing)}`);
        if (extra.length) parts.push(`extra ${JSON.stringify(extra)}`);
        differ.push(`${rel}: ${parts.join(', ') || 'same links in another order'}`);
      }
    }
  }
  check(`every local href/src of the ${pages.length} pages points to an existing file`, broken.length === 0, broken.slice(0, 6).join(' | '));
  check('no local link points to a folder (file:// has no directory index)', dirLinks.length === 0, dirLinks.slice(0, 6).join(' | '));
  check('no failed local loads without JavaScript', f2.length === 0, f2.slice(0, 6).join(' | '));
  check(
    'header and footer links match the default build on every page',
    bp.status === 0 && differ.length === 0,
    bp.status !== 0
      ? `default build failed: ${(bp.stderr || '').trim().slice(0, 300)}`
      : differ.length
        ? `${differ.length} of ${pages.length} pages differ: ${differ.slice(0, 3).join(' | ')}`
        : `${pages.length} pages compared`,
  );
}

await run({ main, cleanup, watchdogMs: WATCHDOG_MS });
