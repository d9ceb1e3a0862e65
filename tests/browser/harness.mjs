// What the browser tests share: launching Debian's Chromium through playwright-core, the
// resources to release, a static server under a subpath, `explainer build`, and the
// report (`ok - …` / `not ok - …` lines, a watchdog, clean-up on signals, and the closing
// `N passed, M failed` line; exit 1 on any failure).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Starts headless Chromium with a fresh profile (its folder is pushed to `dirs` for clean-up).
 * Playwright's own signal handling is off: the tests clean up themselves.
 */
export async function launchChromium(dirs, options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'explainer-browser-profile-'));
  dirs.push(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
}

/**
 * What a test must release whatever happens: browser contexts, HTTP servers and temporary
 * folders. `launch` starts Chromium and records its context; `cleanup` releases everything.
 */
export function resources() {
  const state = { contexts: [], dirs: [], servers: [] };
  return {
    state,
    async launch(options = {}) {
      const context = await launchChromium(state.dirs, options);
      state.contexts.push(context);
      return context;
    },
    async cleanup() {
      for (const ctx of state.contexts.splice(0)) {
        await Promise.race([ctx.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
      }
      for (const s of state.servers.splice(0)) s.close();
      for (const dir of state.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.png': 'image/png',
};

/**
 * Serves `dir` under `/sub/` on a free loopback port, as a static host serves a site published
 * under a subpath (folders answer with their index.html; anything else is a 404). The server is
 * pushed to `servers` for clean-up. Resolves to the site's URL.
 */
export function serveUnderSub(dir, servers) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = null;
    if (url.pathname.startsWith('/sub/')) {
      file = path.join(dir, decodeURIComponent(url.pathname.slice('/sub/'.length)));
      if (file.endsWith(path.sep) || (fs.existsSync(file) && fs.statSync(file).isDirectory())) file = path.join(file, 'index.html');
    }
    if (!file || !file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/sub/`)));
}

/** Runs `BIN build --root src -o out …args` without colours; returns spawnSync's result and the command. */
export function buildSite(bin, src, out, args = []) {
  const all = ['build', '--root', src, '-o', out, ...args];
  const r = spawnSync(bin, all, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { ...r, cmd: `explainer ${all.join(' ')}` };
}

let passed = 0;
let failed = 0;

/** Records one check; prints `ok - name (detail)` or `not ok - …`. Returns `ok`. */
export function check(name, ok, detail = '') {
  const suffix = detail ? ` (${detail})` : '';
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${suffix}`);
  return ok;
}

/** A comment line. */
export const note = (msg) => console.log(`# ${msg}`);
/** Milliseconds since the process started. */
export const now = () => performance.now();
/** `123 ms`. */
export const ms = (t) => `${Math.round(t)} ms`;
/** True once any check failed. */
export const anyFailed = () => failed > 0;

/**
 * Runs `main`, always calling `cleanup` and then printing the summary and exiting.
 * `onFailure` runs before the summary when a check failed (e.g. to dump server logs).
 */
export async function run({ main, cleanup, watchdogMs, onFailure = () => {} }) {
  const started = now();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(watchdog);
    if (failed) onFailure();
    note(`total ${ms(now() - started)}`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  };
  const watchdog = setTimeout(() => {
    check('finished in time', false, `still running after ${watchdogMs} ms`);
    cleanup().finally(finish);
  }, watchdogMs);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      check('not interrupted', false, sig);
      cleanup().finally(finish);
    });
  }
  try {
    await main();
  } catch (e) {
    check('test ran to the end', false, (e && e.stack ? e.stack : String(e)).split('\n').slice(0, 4).join(' / '));
  } finally {
    await cleanup();
    finish();
  }
}
