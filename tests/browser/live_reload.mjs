// Real-browser end-to-end test of `explainer serve` live reload.
//
// Starts the dev server on a tiny temporary site, opens a page in headless Chromium
// (Debian's /usr/bin/chromium driven by playwright-core), edits files on disk and checks
// what the page shows, without ever calling page.reload():
//   content edit -> page reloads by itself; broken front matter -> error overlay over the
//   last good page; fix -> overlay gone, new text; stylesheet edit -> CSS swapped in place.
//
// Env: EXPLAINER_BIN (default target/debug/explainer in this repo), CHROMIUM (default /usr/bin/chromium).
// Output: one `ok - …` / `not ok - …` line per check, then `N passed, M failed`; exit 1 on failure.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, launchChromium, ms, note, now, run } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const BIN = process.env.EXPLAINER_BIN || path.join(repoRoot, 'target', 'debug', 'explainer');
const LIMIT_MS = 2000; // what a person would accept between saving and seeing it
const WAIT_MS = 5000; // how long we keep waiting, so a slow result is measured, not just failed
const STARTUP_MS = 20000;
const WATCHDOG_MS = 55000;

const NOTE_HEAD = '---\ntitle: Note\n---\n';
const TEXT1 = 'First version of the text.';
const TEXT2 = 'Second version of the text.';
const TEXT3 = 'Third version of the text.';


function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function makeSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'explainer-browser-site-'));
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('content/_index.md', '---\ntitle: Home\n---\nSee [the note](note.md).\n');
  write('content/note.md', `${NOTE_HEAD}${TEXT1}\n`);
  write('static/style.css', 'body{color:rgb(1,2,3)}\n');
  // The default page template, minus the extras, plus a link to static/style.css.
  write(
    'templates/page.html',
    '{% extends "base.html" %}\n' +
      '{% block head %}<link rel="stylesheet" href="{{ root }}style.css">{% endblock head %}\n' +
      '{% block content %}<article><h1>{{ page.title }}</h1>{{ page.content }}</article>{% endblock content %}\n',
  );
  return root;
}

// Resources to release whatever happens.
const state = { server: null, serverExit: null, context: null, dirs: [], out: '', err: '' };

function startServer(site, port) {
  const child = spawn(BIN, ['serve', '--root', site, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  state.server = child;
  state.serverExit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => (state.out += d));
  child.stderr.on('data', (d) => (state.err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving on" line within ${STARTUP_MS} ms`)), STARTUP_MS);
    const onData = () => {
      const m = state.out.match(/serving on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})`));
    });
  });
}

async function stopServer() {
  const child = state.server;
  if (!child) return null;
  state.server = null;
  if (child.exitCode !== null || child.signalCode !== null) return await state.serverExit;
  const t0 = now();
  child.kill('SIGINT');
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 5000));
  let exit = await Promise.race([state.serverExit, timeout]);
  if (exit === null) {
    child.kill('SIGKILL');
    await state.serverExit;
    return { timedOut: true };
  }
  return { ...exit, ms: now() - t0 };
}

async function cleanup() {
  if (state.context) {
    const ctx = state.context;
    state.context = null;
    await Promise.race([ctx.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  }
  const stop = await stopServer();
  for (const dir of state.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  return stop;
}

// Waits for `fn` (a promise factory) and returns the elapsed time since `t0`, or null on timeout.
async function timed(t0, fn) {
  try {
    await fn();
    return now() - t0;
  } catch (e) {
    if (e && e.name === 'TimeoutError') return null;
    throw e;
  }
}

async function main() {
  const site = makeSite();
  state.dirs.push(site);
  const notePath = path.join(site, 'content', 'note.md');
  const cssPath = path.join(site, 'static', 'style.css');

  if (!fs.existsSync(BIN)) throw new Error(`no explainer binary at ${BIN} (run cargo build)`);
  const port = await freePort();
  const t0 = now();
  const base = await startServer(site, port);
  check('server prints "serving on"', base === `http://127.0.0.1:${port}/`, `${base} after ${ms(now() - t0)}`);

  const context = await launchChromium(state.dirs);
  state.context = context;
  // Observe (not change) the page: when its EventSource is open, when its DOM was ready.
  await context.addInitScript(() => {
    const Native = window.EventSource;
    window.__opens = 0;
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        window.__es = this;
        this.addEventListener('open', () => window.__opens++);
      }
    };
    document.addEventListener('DOMContentLoaded', () => (window.__readyAt = Date.now()));
  });
  const page = context.pages()[0] || (await context.newPage());
  const pageErrors = [];
  const docs = []; // one entry per page load: what the server answered
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) pageErrors.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('console', (m) => {
    // Chromium asks for /favicon.ico on its own; the test site has none, so a 404 there is expected.
    if (m.type() === 'error' && !(m.location().url || '').endsWith('/favicon.ico')) {
      pageErrors.push(`console: ${m.text()} (${m.location().url || 'no url'})`);
    }
  });
  let loads = 0;
  page.on('load', () => loads++);
  // What the server really answered for each page load (a cache revalidation shows as 304 only here).
  const cdp = await context.newCDPSession(page);
  const docIds = new Set();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.type === 'Document') docIds.add(e.requestId);
  });
  const header = (headers, name) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const sentIms = new Map();
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    const ims = header(e.headers, 'if-modified-since');
    if (ims) sentIms.set(e.requestId, ims);
  });
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    if (!docIds.has(e.requestId)) return;
    const lm = header(e.headers, 'last-modified');
    const ims = sentIms.get(e.requestId);
    docs.push(`${e.statusCode}${ims ? ` to If-Modified-Since: ${ims}` : ''}${lm ? ` with Last-Modified: ${lm}` : ''}`);
  });
  await cdp.send('Network.enable');

  // True once the current document's EventSource is open (the server has subscribed it).
  const listening = async (what) => {
    try {
      await page.waitForFunction(() => window.__es && window.__es.readyState === 1, null, { timeout: 5000, polling: 20 });
      return true;
    } catch (e) {
      if (e && e.name !== 'TimeoutError') throw e;
      const rs = await page.evaluate(() => (window.__es ? window.__es.readyState : 'no EventSource')).catch(String);
      check(`the page's EventSource is open ${what}`, false, `readyState ${rs} after 5 s`);
      return false;
    }
  };
  const mark = () => page.evaluate(() => (window.__mark = 'same document'));
  const marked = () => page.evaluate(() => window.__mark === 'same document').catch(() => false);
  const mainText = () => page.locator('main').innerText();
  const overlay = page.locator('#explainer-error-overlay');
  const readyAfter = async (wall) => {
    const at = await page.evaluate(() => window.__readyAt).catch(() => null);
    return at ? `, DOM ready ${at - wall} ms after the write` : '';
  };
  const docsSince = (n) => docs.slice(n).join(', ') || 'none';

  // 2. First load.
  await page.goto(`${base}note/`, { waitUntil: 'load', timeout: 10000 });
  const first = await page.getByText(TEXT1).isVisible();
  check('/note/ shows the first text', first, JSON.stringify((await mainText()).slice(0, 80)));
  await listening('after the first load');
  await mark();

  // 3. Content edit: the page must reload by itself.
  let loadsBefore = loads;
  let docsBefore = docs.length;
  let tw = now();
  let wall = Date.now();
  fs.writeFileSync(notePath, `${NOTE_HEAD}${TEXT2}\n`);
  let took = await timed(tw, () => page.getByText(TEXT2).waitFor({ state: 'visible', timeout: WAIT_MS }));
  await page.waitForLoadState('load');
  check(
    `edited text shows without page.reload() within ${LIMIT_MS} ms`,
    took !== null && took <= LIMIT_MS,
    took === null
      ? `not within ${WAIT_MS} ms: main=${JSON.stringify(await mainText().catch(String))}, document responses: ${docsSince(docsBefore)}`
      : `latency ${ms(took)}${await readyAfter(wall)}`,
  );
  check(
    'the live-reload script reloaded the page',
    loads > loadsBefore && !(await marked()),
    `${loads - loadsBefore} load(s), document responses: ${docsSince(docsBefore)}`,
  );
  await listening('after the reload');
  await mark();

  // 4. Broken front matter: overlay over the last good page, no reload.
  loadsBefore = loads;
  tw = now();
  fs.writeFileSync(notePath, `---\ntitel: Note\n---\n${TEXT3}\n`);
  took = await timed(tw, () => overlay.waitFor({ state: 'visible', timeout: WAIT_MS }));
  check(
    `error overlay appears within ${LIMIT_MS} ms`,
    took !== null && took <= LIMIT_MS,
    took === null ? `not within ${WAIT_MS} ms` : `latency ${ms(took)}`,
  );
  if (took !== null) {
    const text = await overlay.innerText();
    const role = await overlay.getAttribute('role');
    const box = await overlay.boundingBox();
    const vp = page.viewportSize();
    const wanted = ['content/note.md', 'titel', ':2:'];
    const missing = wanted.filter((w) => !text.includes(w));
    check(
      'overlay text names the file, the key and the line',
      missing.length === 0,
      missing.length
        ? `missing ${missing.join(', ')} in ${JSON.stringify(text)}`
        : JSON.stringify(text.split('\n').slice(2, 4).join(' | ')),
    );
    check(
      'overlay is role=alert and covers the viewport',
      role === 'alert' && box && box.width >= vp.width - 1 && box.height >= vp.height - 1,
      `role=${role}, ${box ? `${Math.round(box.width)}x${Math.round(box.height)}` : 'no box'} in ${vp.width}x${vp.height}`,
    );
  } else {
    check('overlay text names the file, the key and the line', false, 'no overlay');
    check('overlay is role=alert and covers the viewport', false, 'no overlay');
  }
  const behind = await mainText().catch(() => '');
  check(
    'the last good text is still behind the overlay, no reload',
    behind.includes(TEXT2) && !behind.includes(TEXT3) && loads === loadsBefore && (await marked()),
    `${JSON.stringify(behind.slice(0, 80))}, ${loads - loadsBefore} load(s)`,
  );

  // 5. Fix: overlay goes, third text shows.
  loadsBefore = loads;
  docsBefore = docs.length;
  tw = now();
  wall = Date.now();
  fs.writeFileSync(notePath, `${NOTE_HEAD}${TEXT3}\n`);
  took = await timed(tw, async () => {
    await page.getByText(TEXT3).waitFor({ state: 'visible', timeout: WAIT_MS });
    await overlay.waitFor({ state: 'detached', timeout: Math.max(1, WAIT_MS - (now() - tw)) });
  });
  await page.waitForLoadState('load');
  check(
    `after the fix the overlay is gone and the third text shows within ${LIMIT_MS} ms`,
    took !== null && took <= LIMIT_MS,
    took === null
      ? `not within ${WAIT_MS} ms: overlay=${await overlay.count()}, ${loads - loadsBefore} load(s), ` +
          `main=${JSON.stringify(await mainText().catch(String))}, document responses: ${docsSince(docsBefore)}`
      : `latency ${ms(took)}${await readyAfter(wall)}`,
  );
  await listening('after the fix');
  await mark();

  // 5b. A quick second save (two saves within one wall-clock second): the second must show too.
  await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
  const TEXT4 = 'Fourth version of the text.';
  const TEXT5 = 'Fifth version of the text.';
  const w4 = Date.now();
  fs.writeFileSync(notePath, `${NOTE_HEAD}${TEXT4}\n`);
  const shown4 = await timed(now(), () => page.getByText(TEXT4).waitFor({ state: 'visible', timeout: WAIT_MS }));
  await page.waitForLoadState('load');
  await listening('after the fourth save');
  docsBefore = docs.length;
  tw = now();
  const w5 = Date.now();
  fs.writeFileSync(notePath, `${NOTE_HEAD}${TEXT5}\n`);
  took = await timed(tw, () => page.getByText(TEXT5).waitFor({ state: 'visible', timeout: WAIT_MS }));
  await page.waitForLoadState('load');
  const sameSecond = Math.floor(w4 / 1000) === Math.floor(w5 / 1000);
  check(
    `a second save ${w5 - w4} ms after the first (same second: ${sameSecond ? 'yes' : 'no'}) shows within ${LIMIT_MS} ms`,
    shown4 !== null && took !== null && took <= LIMIT_MS,
    shown4 === null
      ? `the first save did not show within ${WAIT_MS} ms`
      : took === null
        ? `not within ${WAIT_MS} ms: main=${JSON.stringify(await mainText().catch(String))}, document responses: ${docsSince(docsBefore)}`
        : `latency ${ms(took)}`,
  );
  await listening('after the fifth save');
  await mark();

  // 6. Stylesheet edit: swapped in place, no reload.
  const color = () => page.evaluate(() => getComputedStyle(document.body).color);
  check('static/style.css applies', (await color()) === 'rgb(1, 2, 3)', await color());
  loadsBefore = loads;
  tw = now();
  fs.writeFileSync(cssPath, 'body{color:rgb(4,5,6)}\n');
  took = await timed(tw, () =>
    page.waitForFunction(() => getComputedStyle(document.body).color === 'rgb(4, 5, 6)', null, {
      timeout: WAIT_MS,
      polling: 20,
    }),
  );
  check(
    `stylesheet edit applies within ${LIMIT_MS} ms without a reload`,
    took !== null && took <= LIMIT_MS && loads === loadsBefore && (await marked()),
    took === null
      ? `not within ${WAIT_MS} ms: color ${await color()}`
      : `latency ${ms(took)}, ${loads - loadsBefore} load(s)`,
  );

  const opens = await page.evaluate(() => window.__opens);
  check('no EventSource reconnects within a document', opens === 1, `${opens} open event(s) in the last document`);
  check('no script errors in the page', pageErrors.length === 0, pageErrors.join(' | ').slice(0, 300));

  // 7. Stop the server the way a person does (Ctrl-C).
  await state.context.close();
  state.context = null;
  const outDir = path.join(os.tmpdir(), `explainer-serve-${state.server.pid}`);
  const stop = await stopServer();
  check('server stops on SIGINT with status 0 and removes its temp folder',
    stop && !stop.timedOut && stop.code === 0 && !fs.existsSync(outDir),
    stop && stop.timedOut ? 'still running after 5 s' : `code ${stop?.code}, signal ${stop?.signal}, ${ms(stop?.ms ?? 0)}, ${outDir} ${fs.existsSync(outDir) ? 'left behind' : 'removed'}`);
}

await run({
  main,
  cleanup,
  watchdogMs: WATCHDOG_MS,
  onFailure: () => {
    note('server stdout:\n' + state.out.trimEnd().replace(/^/gm, '#   '));
    note('server stderr:\n' + state.err.trimEnd().replace(/^/gm, '#   '));
  },
});
