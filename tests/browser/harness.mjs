// What the browser tests share: launching Debian's Chromium through playwright-core, and the
// report (`ok - …` / `not ok - …` lines, a watchdog, clean-up on signals, and the closing
// `N passed, M failed` line; exit 1 on any failure).

import fs from 'node:fs';
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
