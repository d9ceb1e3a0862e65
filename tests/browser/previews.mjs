// Link previews in a real browser (headless Chromium through playwright-core).
//
// Builds the `note-maps` fixture twice: with --file-links (opened as file:// URLs) and with pretty
// URLs (served by a tiny HTTP server under /sub/, as a host would under a subpath). On a page three
// folders deep it checks, in both:
//   - no preview data is loaded before a link is hovered or focused, and then only one shard;
//   - hovering a link in the text shows a popover with the target's title and description, named
//     by the link's aria-describedby, and moving away hides it;
//   - focusing a link with the keyboard (Tab) shows it too, for a node of the note map (SVG) as
//     well, and Escape hides it;
//   - nothing on the page moves when a popover shows, and the popover stays inside the viewport;
//   - no script errors.
// And with a touch screen emulated (no hover, coarse pointer): no popover and no data loaded.
//
// Env: EXPLAINER_BIN (default target/debug/explainer in this repo), CHROMIUM (default /usr/bin/chromium).
// Output: one `ok - …` / `not ok - …` line per check, then `N passed, M failed`; exit 1 on failure.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSite, check, note, resources, run, serveUnderSub } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const BIN = process.env.EXPLAINER_BIN || path.join(repoRoot, 'target', 'debug', 'explainer');
const FIXTURE = path.join(repoRoot, 'tests', 'fixtures', 'note-maps');
const STEP_MS = 5000;
const LEAF = 'deep/nested/leaf/';
const HUB = { title: 'The hub note, whose title is long enough to need two lines', desc: 'Where every link of the test site meets.' };
const IN1 = { title: 'In 1', desc: `This note links to ${HUB.title}.` };

const { state, launch, cleanup } = resources();

function build(src, out, fileLinks) {
  const r = buildSite(BIN, src, out, fileLinks ? ['--file-links'] : []);
  return check(`explainer ${fileLinks ? 'build --file-links' : 'build'} succeeds`, r.status === 0, r.status === 0 ? '' : (r.stderr || '').slice(0, 400));
}

// Where every element of <main> is, and how tall the page is: what must not move.
const layout = (page) =>
  page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
    rects: [...document.querySelectorAll('main *')].map((e) => {
      const r = e.getBoundingClientRect();
      return [r.x, r.y, r.width, r.height].map(Math.round).join(',');
    }),
  }));

const popoverState = (page) =>
  page.evaluate(() => {
    const p = document.getElementById('x-link-preview');
    if (!p) return { exists: false, shown: false };
    const r = p.getBoundingClientRect();
    return {
      exists: true,
      shown: !p.hidden && r.width > 0,
      role: p.getAttribute('role'),
      title: p.querySelector('strong')?.textContent || '',
      desc: p.querySelector('span')?.textContent || '',
      left: r.left,
      right: r.right,
      viewport: document.documentElement.clientWidth,
      describedBy: [...document.querySelectorAll('[aria-describedby~="x-link-preview"]')].map((a) => a.getAttribute('href')),
      positioned: getComputedStyle(p).position,
    };
  });

async function waitShown(page, shown) {
  try {
    await page.waitForFunction(
      (want) => {
        const p = document.getElementById('x-link-preview');
        return want ? !!p && !p.hidden : !p || p.hidden;
      },
      shown,
      { timeout: STEP_MS, polling: 25 },
    );
  } catch (e) {
    if (!e || e.name !== 'TimeoutError') throw e;
  }
  return popoverState(page);
}

async function scenario(name, start, width) {
  const context = await launch({ viewport: { width, height: 800 } });
  const page = context.pages()[0] || (await context.newPage());
  const shards = [];
  const errors = [];
  page.on('request', (r) => {
    if (/\/previews\/\d+\.js$/.test(r.url())) shards.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  // The browser asks a server for /favicon.ico by itself: not the site's doing.
  page.on('console', (m) => m.type() === 'error' && !/favicon\.ico$/.test(m.location().url || '') && errors.push(`${m.text()} (${m.location().url})`));
  await page.goto(start, { waitUntil: 'load', timeout: STEP_MS });
  await page.waitForTimeout(300);
  check(`${name}: no preview data loaded before a link is used`, shards.length === 0, shards.join(', '));

  // Hover a link in the text.
  const before = await layout(page);
  const link = page.locator('main article p a[href*="hub"]').first();
  await link.hover();
  let s = await waitShown(page, true);
  check(
    `${name}: hovering a link shows the target's title and description`,
    s.shown && s.title === HUB.title && s.desc === HUB.desc,
    JSON.stringify({ shown: s.shown, title: s.title, desc: s.desc }),
  );
  check(`${name}: the popover is a tooltip named by the link's aria-describedby`, s.role === 'tooltip' && s.describedBy.length === 1 && /hub/.test(s.describedBy[0]), `${s.role} ${s.describedBy}`);
  check(`${name}: the popover is positioned over the page, inside the viewport`, s.positioned === 'absolute' && s.left >= 0 && s.right <= s.viewport, `${s.positioned} ${Math.round(s.left)}–${Math.round(s.right)} of ${s.viewport}`);
  const after = await layout(page);
  const moved = after.rects.filter((r, i) => r !== before.rects[i]).length;
  check(
    `${name}: nothing moves when the popover shows`,
    moved === 0 && after.height === before.height && after.width === before.width,
    `${moved} element(s) moved; height ${before.height} → ${after.height}, width ${before.width} → ${after.width}`,
  );
  check(`${name}: one data file loaded, on first use`, shards.length === 1, shards.map((u) => u.replace(/.*\/previews\//, 'previews/')).join(', '));
  await page.mouse.move(1, 1);
  s = await waitShown(page, false);
  check(`${name}: moving the pointer away hides it`, !s.shown && s.describedBy.length === 0, JSON.stringify(s.describedBy));

  // Keyboard: Tab to the link to "In 1" in the text; Escape hides.
  let reached = false;
  for (let k = 0; k < 60 && !reached; k++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => {
      const a = document.activeElement;
      return !!a && a.closest('article p') !== null && /in-1/.test(a.getAttribute('href') || '');
    });
  }
  s = await waitShown(page, true);
  check(`${name}: Tab to a link shows its preview`, reached && s.shown && s.title === IN1.title && s.desc === IN1.desc, `reached ${reached}, ${JSON.stringify({ title: s.title, desc: s.desc })}`);
  await page.keyboard.press('Escape');
  s = await waitShown(page, false);
  const stillFocused = await page.evaluate(() => /in-1/.test(document.activeElement?.getAttribute('href') || ''));
  check(`${name}: Escape hides it and the link keeps focus`, !s.shown && s.describedBy.length === 0 && stillFocused, `shown ${s.shown}, focused ${stillFocused}`);

  // A node of the note map (an SVG link), by keyboard.
  let onMap = false;
  for (let k = 0; k < 60 && !onMap; k++) {
    await page.keyboard.press('Tab');
    onMap = await page.evaluate(() => !!document.activeElement?.closest('svg.note-map'));
  }
  s = await waitShown(page, true);
  const focusedHref = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  check(`${name}: a node of the note map shows its preview on focus`, onMap && s.shown && s.title !== '' && s.describedBy.includes(focusedHref), `${focusedHref}: ${s.title}`);
  check(`${name}: no script errors`, errors.length === 0, errors.join(' | ').slice(0, 300));
  await context.close();
  state.contexts.splice(state.contexts.indexOf(context), 1);
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`no explainer binary at ${BIN} (run cargo build)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'explainer-previews-'));
  state.dirs.push(tmp);
  fs.cpSync(FIXTURE, path.join(tmp, 'site'), { recursive: true });
  const files = path.join(tmp, 'out-files');
  const pretty = path.join(tmp, 'out-pretty');
  if (!build(path.join(tmp, 'site'), files, true) || !build(path.join(tmp, 'site'), pretty, false)) return;
  note(`previews.js ${fs.statSync(path.join(files, 'previews.js')).size} bytes, previews/0.js ${fs.statSync(path.join(files, 'previews', '0.js')).size} bytes`);

  await scenario('file://', pathToFileURL(path.join(files, LEAF, 'index.html')).href, 1280);
  const base = await serveUnderSub(pretty, state.servers);
  await scenario('http, under /sub/, 390 px', `${base}${LEAF}`, 390);

  // A touch screen: no hover, coarse pointer.
  const touch = await launch({ viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true });
  const page = touch.pages()[0] || (await touch.newPage());
  const shards = [];
  page.on('request', (r) => /\/previews\/\d+\.js$/.test(r.url()) && shards.push(r.url()));
  await page.goto(`${base}${LEAF}`, { waitUntil: 'load', timeout: STEP_MS });
  const media = await page.evaluate(() => matchMedia('(hover: hover) and (pointer: fine)').matches);
  await page.locator('main article p a[href*="hub"]').first().focus();
  await page.waitForTimeout(400);
  const s = await popoverState(page);
  check('touch screen: no popover, no data loaded', !media && !s.shown && shards.length === 0, `hover media ${media}, popover ${s.exists}, ${shards.length} shard(s)`);
}

await run({ main, cleanup, watchdogMs: 90000 });
