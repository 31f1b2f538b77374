// ./tinyscale bench dashboard, the part in Node: (1) the dashboard's bundle as the app serves it
// (index.html, the scripts and styles it loads at once, and the chunks loaded later), and (2) how
// soon a click on a short link shows in the open dashboard: Debian's Chromium (playwright-core,
// launched as e2e/journey.mjs does) shows the link's analytics page, Node follows the short link
// with a desktop Firefox's User-Agent (headless Chromium's own counts as a bot), one click at a
// time, and the page records when the new <li> joins the "Latest clicks" feed and when the
// "People" counter shows it.
// Prints a report, and "RESULT k=v ..." lines that bench/dashboard.sh reads. By hand, against a
// running app (its redirect and auth rate limits lifted, as the bench does):
//   dashboard/npm.sh bench-live -- http://127.0.0.1:8080 50 3 [screenshot.png, taken if it fails]
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const [base = 'http://127.0.0.1:8080', clicksArg = '50', warmupArg = '3', shotArg] = process.argv.slice(2);
const CLICKS = Number(clicksArg);
const WARMUP = Number(warmupArg);
const CHROMIUM = process.env.TINYSCALE_CHROMIUM ?? '/usr/bin/chromium';
// a click not on the page after this long is counted as missing (the run goes on)
const CLICK_TIMEOUT_MS = 15_000;
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

const say = (message) => console.error(`bench-live: ${message}`);
const now = () => performance.timeOrigin + performance.now();
const kb = (bytes) => (bytes / 1024).toFixed(1);

// ---------------------------------------------------------------------------------------------
// 1. The bundle

/** GET path, body not decoded: {status, encoding, bytes}. */
function get(path, gzip) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers: gzip ? { 'Accept-Encoding': 'gzip' } : {} }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A file of the build, or null when the app does not have it (a name found in a script may be none). */
async function asset(path) {
  const plain = await get(path, false);
  if (plain.status === 404) return null;
  if (plain.status !== 200) throw new Error(`GET ${path} answered ${plain.status}`);
  const served = await get(path, true);
  return {
    path,
    text: plain.bytes.toString('utf8'),
    raw: plain.bytes.length,
    // what a browser downloads: the app's pre-gzipped copy (or the file itself when gzip does not pay)
    served: served.bytes.length,
    servedGzip: served.encoding === 'gzip',
    gzip9: gzipSync(plain.bytes, { level: 9 }).length,
  };
}

const ASSET = /^\/dashboard\/assets\/[\w.-]+\.(?:js|css)$/;
const resolveAsset = (from, name) => new URL(name, new URL(from, base)).pathname;

async function bundle() {
  const index = await asset('/dashboard/');
  if (!index) throw new Error(`GET ${base}/dashboard/ answered 404: the app was built without the dashboard`);
  const html = index.text;
  const attr = (tag, name) => tag.match(new RegExp(`\\s${name}="([^"]+)"`))?.[1];
  const initial = new Set();
  for (const tag of html.match(/<(?:script|link)\b[^>]*>/g) ?? []) {
    const rel = attr(tag, 'rel');
    const url = tag.startsWith('<script') ? attr(tag, 'src') : ['modulepreload', 'stylesheet'].includes(rel) ? attr(tag, 'href') : null;
    if (url) initial.add(resolveAsset('/dashboard/', url));
  }
  const files = new Map();
  const load = async (path) => {
    if (!files.has(path)) files.set(path, await asset(path));
    const file = files.get(path);
    if (!file && initial.has(path)) throw new Error(`index.html names ${path}, which the app answers 404`);
    return file;
  };
  // what the initial scripts import statically loads at once too (Vite lists it as modulepreload)
  const staticImports = (file) => [...file.text.matchAll(/\b(?:from|import)\s*["'](\.\/[\w.-]+\.js)["']/g)].map((m) => resolveAsset(file.path, m[1]));
  for (let grown = true; grown; ) {
    grown = false;
    for (const path of [...initial].filter((p) => p.endsWith('.js'))) {
      for (const dep of staticImports(await load(path))) {
        if (!initial.has(dep)) {
          initial.add(dep);
          grown = true;
        }
      }
    }
  }
  // everything else the scripts name (dynamic imports, their styles) is loaded later, by route
  const pending = [...initial];
  while (pending.length) {
    const file = await load(pending.pop());
    if (!file?.path.endsWith('.js')) continue;
    const names = [
      ...[...file.text.matchAll(/["'`]\.\/([\w.-]+-[\w-]{8}\.(?:js|css))["'`]/g)].map((m) => resolveAsset(file.path, m[1])),
      ...[...file.text.matchAll(/["'`]((?:\/dashboard\/)?assets\/[\w.-]+\.(?:js|css))["'`]/g)].map((m) => resolveAsset('/dashboard/', m[1])),
    ];
    for (const path of names) if (ASSET.test(path) && !files.has(path) && !pending.includes(path)) pending.push(path);
  }
  for (const path of initial) await load(path);

  const rows = [...files.values()].filter(Boolean).map((f) => ({ ...f, initial: initial.has(f.path), name: f.path.replace('/dashboard/assets/', '') }));
  rows.sort((a, b) => b.initial - a.initial || a.name.localeCompare(b.name));
  const sum = (list, key) => list.reduce((total, f) => total + f[key], 0);
  const initialJs = rows.filter((f) => f.initial && f.name.endsWith('.js'));
  const initialCss = rows.filter((f) => f.initial && f.name.endsWith('.css'));
  const gzipNote = rows.every((f) => f.servedGzip) ? 'every file was served gzipped' : 'some files were served as they are (gzip did not make them smaller)';
  console.log(`bundle, as the app serves it (${base}/dashboard; 'served': bytes on the wire with Accept-Encoding: gzip, the app's own gzip; ${gzipNote}), in KB:`);
  console.log(`  ${'file'.padEnd(34)} ${'loaded'.padEnd(8)} ${'raw'.padStart(8)} ${'served'.padStart(8)} ${'gzip -9'.padStart(8)}`);
  const line = (name, loaded, f) => console.log(`  ${name.padEnd(34)} ${loaded.padEnd(8)} ${kb(f.raw).padStart(8)} ${kb(f.served).padStart(8)} ${kb(f.gzip9).padStart(8)}`);
  line('index.html', 'at once', index);
  for (const f of rows) line(f.name, f.initial ? 'at once' : 'later', f);
  const total = (list) => ({ raw: sum(list, 'raw'), served: sum(list, 'served'), gzip9: sum(list, 'gzip9') });
  line(`initial JavaScript (${initialJs.length} file${initialJs.length === 1 ? '' : 's'})`, 'at once', total(initialJs));
  line(`initial CSS (${initialCss.length} file${initialCss.length === 1 ? '' : 's'})`, 'at once', total(initialCss));
  const lazyJs = rows.filter((f) => !f.initial && f.name.endsWith('.js'));
  line(`later JavaScript (${lazyJs.length} files)`, 'later', total(lazyJs));
  console.log('  (not counted: the country flags, an SVG file each, fetched when the page shows that flag)');
  const t = total(initialJs);
  console.log(`RESULT name=bundle initial_js_files=${initialJs.length} initial_js_raw_kb=${kb(t.raw)} initial_js_gzip_kb=${kb(t.served)} initial_js_gzip9_kb=${kb(t.gzip9)} initial_css_gzip_kb=${kb(total(initialCss).served)} lazy_js_files=${lazyJs.length} lazy_js_gzip_kb=${kb(total(lazyJs).served)}`);
}

// ---------------------------------------------------------------------------------------------
// 2. Redirect -> visible in the open dashboard

/** Nearest rank, as the other benchmarks compute it (bench/src/.../Latencies.java). */
function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => (sorted.length ? sorted[Math.max(0, Math.min(sorted.length, Math.ceil((p / 100) * sorted.length)) - 1)] : NaN);
  return { count: sorted.length, p50: at(50), p95: at(95), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}
const fields = (p) => `count=${p.count} p50_ms=${p.p50.toFixed(1)} p95_ms=${p.p95.toFixed(1)} max_ms=${p.max.toFixed(1)}`;

async function live() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    // Before the app's scripts: every click event the page's EventSource receives, and every
    // <li> that joins the feed and change of "People", each with the time it happened.
    await page.addInitScript(() => {
      const at = () => performance.timeOrigin + performance.now();
      const marks = (window.__bench = { sse: [], feed: [], people: [] });
      const Native = window.EventSource;
      window.EventSource = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('click', (event) => marks.sse.push({ t: at(), id: event.lastEventId }));
        }
      };
      let people = null;
      const peopleNow = () => {
        const dt = [...document.querySelectorAll('.totals dt')].find((d) => d.textContent.trim() === 'People');
        const text = dt?.nextElementSibling?.textContent ?? '';
        return /\d/.test(text) ? Number(text.replace(/\D/g, '')) : null;
      };
      new MutationObserver((mutations) => {
        const t = at();
        for (const mutation of mutations) {
          for (const node of mutation.addedNodes) {
            // the first click replaces the empty state with a list: the <ol> is what is added
            if (node.nodeType !== Node.ELEMENT_NODE || !node.closest('[role=log]')) continue;
            const items = node.nodeName === 'LI' ? [node] : [...node.querySelectorAll('li')];
            for (const item of items) marks.feed.push({ t, text: item.textContent });
          }
        }
        const value = peopleNow();
        if (value !== null && value !== people) {
          people = value;
          marks.people.push({ t, value });
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });

    const email = `bench-live-${Date.now()}@example.com`;
    const password = 'a long enough password';
    const post = async (path, data, expected) => {
      const res = await page.request.post(`${base}${path}`, { data });
      if (res.status() !== expected) throw new Error(`POST ${path} answered ${res.status()}: ${await res.text()}`);
      return res.json();
    };
    await post('/api/auth/register', { email, password }, 201);
    // the login form: the page remembers who logged in (the session cookie is HttpOnly)
    await page.goto(`${base}/dashboard/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Links' }).waitFor({ timeout: 30_000 });
    const link = await post('/api/shorten', { url: `https://example.com/bench/live/${Date.now()}` }, 201);
    const shortUrl = new URL(`/${link.code}`, base).href;
    say(`logged in as ${email}; link /${link.code}`);

    const opened = now();
    await page.goto(`${base}/dashboard/links/${link.code}`);
    await page.getByText(/^Live: new clicks appear here/).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => window.__bench.people.length > 0, null, { timeout: 30_000 });
    say(`the link's analytics page is live after ${Math.round(now() - opened)} ms`);

    const marks = () => page.evaluate(() => ({ sse: window.__bench.sse.length, feed: window.__bench.feed.length, people: window.__bench.people.at(-1)?.value }));
    const startPeople = (await marks()).people;
    const timings = [];
    const odd = [];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 1; i <= WARMUP + CLICKS; i++) {
      const before = await marks();
      const expectedPeople = startPeople + i;
      const sent = now();
      const res = await fetch(shortUrl, { redirect: 'manual', headers: { 'User-Agent': FIREFOX } });
      const answered = now();
      if (res.status !== 302) throw new Error(`${shortUrl} answered ${res.status}`);
      const eventId = res.headers.get('x-tinyscale-event-id');
      const waited = await page
        .waitForFunction(
          ([feed, people]) => window.__bench.feed.length > feed && (window.__bench.people.at(-1)?.value ?? 0) >= people,
          [before.feed, expectedPeople],
          { timeout: CLICK_TIMEOUT_MS, polling: 10 },
        )
        .then(() => true, () => false);
      const got = await page.evaluate(
        ([sse, feed]) => ({ sse: window.__bench.sse.slice(sse), feed: window.__bench.feed.slice(feed), people: window.__bench.people }),
        [before.sse, before.feed],
      );
      const peopleAt = got.people.find((p) => p.t >= sent && p.value >= expectedPeople);
      const timing = {
        click: i,
        warmup: i <= WARMUP,
        redirectMs: answered - sent,
        sseMs: got.sse[0] ? got.sse[0].t - sent : NaN,
        feedMs: got.feed[0] ? got.feed[0].t - sent : NaN,
        peopleMs: peopleAt ? peopleAt.t - sent : NaN,
      };
      timings.push(timing);
      if (!waited) odd.push(`${timing.warmup ? 'warm-up ' : ''}click ${i}: not on the page after ${CLICK_TIMEOUT_MS} ms (feed items ${got.feed.length}, events ${got.sse.length}, People ${got.people.at(-1)?.value} of ${expectedPeople})`);
      if (eventId && got.sse.length && got.sse[0].id !== eventId) odd.push(`click ${i}: the first event after it was ${got.sse[0].id}, its own is ${eventId}`);
      const last = got.people.at(-1)?.value;
      if (last > expectedPeople) odd.push(`click ${i}: People shows ${last}, more than the ${expectedPeople} clicks made`);
      say(
        `${timing.warmup ? 'warm-up ' : ''}click ${i}: redirect ${timing.redirectMs.toFixed(1)} ms, event ${timing.sseMs.toFixed(0)} ms, feed ${timing.feedMs.toFixed(0)} ms, People ${timing.peopleMs.toFixed(0)} ms`,
      );
      // redirects at varied moments, not in step with anything periodic on the server
      await page.waitForTimeout(200 + Math.round(random() * 800));
    }

    // every click once: wait for a late duplicate, and until the page has asked the API for the
    // link's numbers again (6 s after the last live click, LiveFeed's RECONCILE_AFTER_MS)
    await page.waitForTimeout(9000);
    const end = await page.evaluate(() => ({
      sse: window.__bench.sse.map((e) => e.id),
      feed: window.__bench.feed.length,
      items: document.querySelectorAll('[role=log] li').length,
      people: window.__bench.people.map((p) => p.value),
    }));
    const total = WARMUP + CLICKS;
    const ids = new Set(end.sse);
    if (end.sse.length !== total) odd.push(`${end.sse.length} click events reached the page (${ids.size} distinct ids) for ${total} clicks`);
    if (end.feed !== total) odd.push(`${end.feed} items joined the feed for ${total} clicks`);
    const drops = end.people.filter((value, k) => k > 0 && value < end.people[k - 1]);
    if (drops.length) odd.push(`People went down ${drops.length} time(s): ${end.people.join(' ')}`);
    if (end.people.at(-1) !== startPeople + total) odd.push(`People shows ${end.people.at(-1)} at the end, after the API was asked again, for ${total} clicks`);
    const measured = timings.filter((t) => !t.warmup);
    const feed = percentiles(measured.map((t) => t.feedMs).filter(Number.isFinite));
    const sse = percentiles(measured.map((t) => t.sseMs).filter(Number.isFinite));
    const people = percentiles(measured.map((t) => t.peopleMs).filter(Number.isFinite));
    const redirect = percentiles(measured.map((t) => t.redirectMs));
    const row = (label, p) => console.log(`  ${label.padEnd(58)} ${p.p50.toFixed(0).padStart(6)} ${p.p95.toFixed(0).padStart(6)} ${p.max.toFixed(0).padStart(6)}   (${p.count} of ${CLICKS})`);
    console.log(`live view: ${CLICKS} clicks of /${link.code} one at a time (after ${WARMUP} warm-up), each timed from sending the redirect, in ms:`);
    console.log(`  ${''.padEnd(58)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'max'.padStart(6)}`);
    row('redirect answered (Node, Firefox User-Agent)', redirect);
    row('its event received by the page (EventSource)', sse);
    row('a new <li> in the "Latest clicks" feed (DOM)', feed);
    row('"People" counts it', people);
    console.log(`  (a 200-1000 ms pause between clicks; the feed keeps the latest 50: ${end.items} items on the page at the end)`);
    for (const line of odd) console.log(`  odd: ${line}`);
    for (const problem of problems) console.log(`  page: ${problem}`);
    console.log(`RESULT name=feed ${fields(feed)} missing=${CLICKS - feed.count}`);
    console.log(`RESULT name=sse ${fields(sse)}`);
    console.log(`RESULT name=people ${fields(people)} missing=${CLICKS - people.count}`);
    console.log(`RESULT name=redirect ${fields(redirect)}`);
    console.log(`RESULT name=checks odd=${odd.length} page_problems=${problems.length}`);
  } catch (error) {
    // what the page showed when it went wrong
    if (shotArg) {
      const page = browser.contexts()[0]?.pages()[0];
      await page?.screenshot({ path: shotArg, fullPage: true }).then(() => say(`the page when it failed: ${shotArg}`), () => {});
      say(`page text: ${((await page?.locator('body').innerText().catch(() => '')) ?? '').replace(/\s+/g, ' ').slice(0, 600)}`);
    }
    throw error;
  } finally {
    await browser.close();
  }
}

await bundle();
await live();
