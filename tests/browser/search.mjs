// Real-browser test of search: a small generated site, built twice (--file-links, opened from
// file://; and pretty URLs, served over HTTP under /sub/), searched in headless Chromium.
// Checks:
//   - no part of the index loads with the page; focusing the box loads the manifest only; typing
//     loads shards (script requests counted);
//   - words match at word starts ("te" finds "Text", not "Context"), marks start at word starts;
//   - each result shows its kind; a word shared by a topic and a person lists the topic first
//     (the person's path sorts first, so only the kind order puts the topic ahead);
//   - one typo in a word of 5+ letters is forgiven, ranked below an exact match;
//   - "Show all N results" shows the rest and focuses the first one added;
//   - the home page and the timeline are indexed; blocks named by `search: {skip: …}` are not;
//   - under /sub/ over HTTP, results link to the right pages from two depths;
//   - the box shows while the page is parsed (search.js held back), with no layout shift after;
//   - optionally (EXPLAINER_SEARCH_CORPUS=folder of a project, e.g. gen_corpus.py's 10,000 notes):
//     the bytes of a first query typed letter by letter (search.js, manifest, shards) are < 300 kB
//     and it finds a note by a word of its title, from file:// (--file-links) and over HTTP under
//     /sub/.
//
// Env: EXPLAINER_BIN, CHROMIUM (as live_reload.mjs), EXPLAINER_SEARCH_CORPUS (optional).
// Output: `ok - …` / `not ok - …` lines, then `N passed, M failed`; exit 1 on failure.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSite, check, note, resources, run, serveUnderSub } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const BIN = process.env.EXPLAINER_BIN || path.join(repoRoot, 'target', 'debug', 'explainer');
const CORPUS = process.env.EXPLAINER_SEARCH_CORPUS;
const STEP_MS = 10000;
const { state, launch, cleanup } = resources();

const LANTERNS = 12;
function writeSite(root) {
  const files = {
    'site.yaml': 'title: Search test\nsearch:\n  skip: ["Source:"]\n',
    'content/_index.md': '---\ntitle: Search test home\n---\nWelcome to the marigold overview.\n\nSource: the zebra paper.\n',
    'content/topics/_index.md': '---\ntitle: Topics\nweight: 1\n---\nThe topics.\n',
    'content/people/_index.md': '---\ntitle: People\nweight: 2\n---\nThe people.\n',
    'content/topics/ports.md':
      '---\ntitle: Harbour plans\nevents:\n  - {date: "2020-05", title: "The quayside opens"}\n---\n' +
      'The harbour of the city, and its lantern. The negotiation goes on.\n\n## Text of the plan\n\nPiers and cranes.\n',
    'content/topics/background.md': '---\ntitle: Background\n---\nContext matters here, and a lantern.\n',
    'content/people/ada.md': '---\ntitle: Ada\n---\nShe joined the negotiation for the government, lantern in hand.\n',
    'content/people/bo.md': '---\ntitle: Bo\n---\nThe harbor master keeps a lantern.\n',
  };
  for (let i = 1; i <= LANTERNS; i++) {
    const n = String(i).padStart(2, '0');
    files[`content/topics/lamp-${n}.md`] = `---\ntitle: Lamp ${n}\n---\nAnother lantern, number ${n}.\n`;
  }
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

function build(src, out, args = []) {
  const r = buildSite(BIN, src, out, args);
  return check(`explainer build ${args.join(' ')} of ${path.basename(src)}`, r.status === 0, r.status === 0 ? r.stdout.trim() : (r.stderr || '').slice(0, 400));
}

// A page with its index requests recorded: [{url, bytes}] of search-index.js and search/…
async function open(context, url, toFile) {
  const page = await context.newPage();
  const loads = [];
  const errors = [];
  page.on('request', (r) => {
    const u = r.url();
    if (/search-index\.js|\/search\/|search\.js/.test(u)) loads.push(u);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load', timeout: STEP_MS });
  const index = () => loads.filter((u) => !/\/search\.js/.test(u));
  const bytes = (list) => list.reduce((sum, u) => sum + fs.statSync(toFile(u)).size, 0);
  return { page, loads, index, bytes, errors };
}

// Types `q` into the box (or fills it at once) and waits for the results of exactly that query.
async function search(page, q, { typed = false } = {}) {
  const input = page.locator('[data-search] input');
  if (typed) {
    await input.fill('');
    await input.pressSequentially(q, { delay: 30 });
  } else {
    await input.fill(q);
  }
  await page.waitForFunction(() => document.querySelector('#x-search-status').textContent !== '', null, { timeout: STEP_MS, polling: 50 }).catch(() => {});
  await page.waitForTimeout(150);
  return page.evaluate(() => ({
    status: document.querySelector('#x-search-status').textContent,
    more: (() => { const b = document.querySelector('.search-more'); return b && !b.hidden ? b.textContent : null; })(),
    results: [...document.querySelectorAll('#x-search-results li a')].map((a) => ({
      href: a.href,
      kind: a.querySelector('.search-kind')?.textContent || '',
      title: a.querySelector('.search-title')?.textContent || '',
      heading: a.querySelector('.search-heading')?.textContent || '',
      // Each mark with the character before it (in the element's text).
      marks: [...a.querySelectorAll('mark')].map((m) => {
        const before = m.previousSibling && m.previousSibling.nodeType === 3 ? m.previousSibling.textContent.slice(-1) : '';
        return { text: m.textContent, before };
      }),
    })),
  }));
}

const titles = (r) => r.results.map((x) => x.title);
const show = (r) => `${r.status}: ${r.results.map((x) => `[${x.kind}] ${x.title}${x.heading}`).join(' | ')}`;

async function checks(context, base, toFile, where) {
  const home = await open(context, base + (where === 'file://' ? 'index.html' : ''), toFile);
  const { page } = home;
  await page.waitForTimeout(300);
  check(`${where}: the page loads search.js and nothing of the index`, home.index().length === 0 && home.loads.length === 1, home.loads.join(', '));
  await page.locator('[data-search] input').focus();
  await page.waitForFunction(() => !!window.explainerSearchQ, null, { timeout: STEP_MS }).catch(() => {});
  await page.waitForTimeout(300);
  const afterFocus = home.index().map((u) => path.basename(u));
  check(`${where}: focusing the box loads the manifest only`, afterFocus.length === 1 && afterFocus[0] === 'search-index.js', afterFocus.join(', '));

  let r = await search(page, 'lantern');
  const shards = home.index().filter((u) => u.includes('/search/'));
  check(`${where}: typing loads shards`, shards.length > 0, `${shards.length} shard(s): ${shards.map((u) => path.basename(u)).join(', ')}`);
  const total = LANTERNS + 4;
  check(`${where}: the first 10 of ${total} results show, with "Show all ${total} results"`, r.results.length === 10 && r.more === `Show all ${total} results` && r.status === `${total} results`, `${r.results.length} shown, button ${JSON.stringify(r.more)}, status ${JSON.stringify(r.status)}`);
  await page.locator('.search-more').click();
  await page.waitForFunction((n) => document.querySelectorAll('#x-search-results li').length === n, total, { timeout: STEP_MS }).catch(() => {});
  const after = await page.evaluate(() => ({
    n: document.querySelectorAll('#x-search-results li').length,
    focus: [...document.querySelectorAll('#x-search-results a')].indexOf(document.activeElement),
    hidden: document.querySelector('.search-more').hidden,
  }));
  check(`${where}: "Show all" lists all ${total} and focuses the 11th`, after.n === total && after.focus === 10 && after.hidden, JSON.stringify(after));

  r = await search(page, 'te');
  const allAtStart = r.results.every((x) => x.marks.every((m) => !/[\p{L}\p{N}]/u.test(m.before) && /^te/i.test(m.text)));
  check(`${where}: "te" matches word starts only ("Text", not "Context")`, titles(r).includes('Harbour plans') && !titles(r).includes('Background') && allAtStart, show(r));
  check(`${where}: a match in a heading shows the heading and links to it`, r.results.some((x) => x.heading === ' › Text of the plan' && x.href.endsWith('#text-of-the-plan')), show(r));

  r = await search(page, 'negotiation');
  check(`${where}: a word in a topic's and a person's text lists the topic first, each labelled with its kind`, r.results.length === 2 && r.results[0].title === 'Harbour plans' && r.results[0].kind === 'Topics' && r.results[1].title === 'Ada' && r.results[1].kind === 'People', show(r));

  r = await search(page, 'goverment');
  check(`${where}: one typo in a longer word is forgiven ("goverment" finds "government")`, titles(r).join() === 'Ada' && r.results[0].marks.some((m) => m.text === 'government'), show(r));
  r = await search(page, 'harbor');
  check(`${where}: an exact match ranks above a typo, whatever the field`, titles(r).join() === 'Bo,Harbour plans', show(r));

  r = await search(page, 'marigold');
  check(`${where}: the home page is indexed`, r.results.length === 1 && r.results[0].kind === 'Home', show(r));
  r = await search(page, 'quayside');
  check(`${where}: the timeline is indexed`, r.results.length === 1 && r.results[0].kind === 'Timeline' && r.results[0].title === 'Timeline', show(r));
  r = await search(page, 'zebra');
  check(`${where}: a block named by search: {skip} is not indexed`, r.results.length === 0 && /No results/.test(r.status), show(r));

  // From a page two levels down, a result opens the right page.
  await page.goto(base + (where === 'file://' ? 'people/ada/index.html' : 'people/ada/'), { waitUntil: 'load' });
  r = await search(page, 'harbour');
  const want = base + (where === 'file://' ? 'topics/ports/index.html' : 'topics/ports/');
  await Promise.all([page.waitForURL(want, { timeout: STEP_MS }).catch(() => {}), page.locator('#x-search-results a').first().click()]);
  const h1 = (await page.locator('h1').first().innerText().catch(() => '')).trim();
  check(`${where}: from people/ada/, the first result for "harbour" opens topics/ports/`, page.url() === want && h1 === 'Harbour plans', `${page.url()} "${h1}"; ${show(r)}`);
  check(`${where}: no script errors`, home.errors.length === 0, home.errors.join(' | '));
  await page.close();
}

// The first query on the corpus, typed letter by letter into the box of the page at `url`: what
// it transfers (search.js, manifest, shards) and whether it finds the note by a word of its title.
async function firstSearch(context, url, toFile, word, where) {
  const home = await open(context, url, toFile);
  await home.page.locator('[data-search] input').focus();
  const r = await search(home.page, word.toLowerCase(), { typed: true });
  await home.page.waitForTimeout(500);
  const bytes = home.bytes(home.loads);
  note(`corpus, ${where}: "${word}" typed letter by letter: ${home.loads.length} files, ${bytes} bytes (${home.loads.map((u) => path.basename(u)).join(', ')})`);
  check(`corpus, ${where}: the first query transfers < 300 kB (search.js, manifest, shards)`, bytes < 300_000, `${bytes} bytes`);
  check(`corpus, ${where}: "${word}" finds a note with the word in its title`, r.results.some((x) => x.title.toLowerCase().includes(word.toLowerCase())), show(r));
  check(`corpus, ${where}: no script errors`, home.errors.length === 0, home.errors.join(' | '));
  await home.page.close();
}

// The corpus built twice, as the small site is: --file-links opened from file://, and pretty URLs
// served over HTTP under /sub/.
async function corpusCheck(context, dir) {
  const src = path.join(dir, 'src');
  fs.cpSync(CORPUS, src, { recursive: true });
  const files = path.join(dir, 'corpus-files');
  const pretty = path.join(dir, 'corpus-pretty');
  if (!build(src, files, ['--file-links']) || !build(src, pretty)) return;
  // A word of the first note's title that is a real word (not the number).
  const md = fs.readdirSync(path.join(src, 'content', 'notes')).filter((f) => f.endsWith('.md') && !f.startsWith('_')).sort()[0];
  const title = fs.readFileSync(path.join(src, 'content', 'notes', md), 'utf8').match(/^title:\s*"?(.*?)"?$/m)[1];
  const word = title.split(/\s+/).find((w) => /^[a-z]{5,}$/i.test(w)) || title.split(/\s+/)[0];
  const toFile = (u) => fileURLToPath(u.replace(/[?#].*$/, ''));
  await firstSearch(context, pathToFileURL(path.join(files, 'index.html')).href, toFile, word, 'file://');
  const base = await serveUnderSub(pretty, state.servers);
  const toServed = (u) => {
    let p = path.join(pretty, decodeURIComponent(new URL(u).pathname.slice(5)));
    if (p.endsWith(path.sep)) p = path.join(p, 'index.html');
    return p;
  };
  await firstSearch(context, base, toServed, word, 'http /sub/');
}

// The box is shown while the page is parsed, not by search.js: with search.js held back it is
// already there, and nothing on the page moved (no layout shift) once the script ran.
async function shownBeforeScripts(context, base) {
  const page = await context.newPage();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/search.js', async (route) => { await held; await route.continue(); });
  // DOMContentLoaded waits for deferred scripts: wait for the box instead.
  await page.goto(base, { waitUntil: 'commit', timeout: STEP_MS });
  await page.waitForSelector('[data-search]', { state: 'visible', timeout: STEP_MS }).catch(() => {});
  const before = await page.evaluate(() => {
    const box = document.querySelector('[data-search]');
    return { shown: !!box && !box.hidden && box.getClientRects().length > 0, wired: !!document.querySelector('.search-more') };
  });
  release();
  await page.waitForFunction(() => !!document.querySelector('.search-more'), null, { timeout: STEP_MS });
  const shift = await page.evaluate(() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) sum += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(sum)));
  }));
  check('http /sub/: the search box shows before search.js runs, and nothing moves when it does',
    before.shown && !before.wired && shift === 0, `shown ${before.shown}, wired ${before.wired}, layout shift ${shift}`);
  await page.close();
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`no explainer binary at ${BIN} (run cargo build)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'explainer-search-'));
  state.dirs.push(tmp);
  const src = path.join(tmp, 'site');
  writeSite(src);
  const files = path.join(tmp, 'out-files');
  const pretty = path.join(tmp, 'out-pretty');
  if (!build(src, files, ['--file-links']) || !build(src, pretty)) return;
  const context = await launch();

  await checks(context, pathToFileURL(files).href + '/', (u) => fileURLToPath(u.replace(/[?#].*$/, '')), 'file://');
  const base = await serveUnderSub(pretty, state.servers);
  const toFile = (u) => {
    let p = path.join(pretty, decodeURIComponent(new URL(u).pathname.slice(5)));
    if (p.endsWith(path.sep)) p = path.join(p, 'index.html');
    return p;
  };
  await checks(context, base, toFile, 'http /sub/');
  await shownBeforeScripts(context, base);
  if (CORPUS) await corpusCheck(context, tmp);
  else note('EXPLAINER_SEARCH_CORPUS not set: the large-corpus transfer check is skipped');
}

await run({ main, cleanup, watchdogMs: CORPUS ? 900000 : 120000 });
