// The dashboard in a real browser (Debian's Chromium, driven by playwright-core) against a running
// TinyScale: register, create a link (after a refused one), see it in the table, follow it from
// other browsers, open its analytics, see new clicks arrive live (feed, counters, chart), the live
// page, the overview, disable the link (410), log out, log in again, log out. axe-core checks
// every page (no serious or critical violation); screenshots at 1280 and 390 px wide.
// Run by the app's DashboardIT against ./tinyscale up; by hand:
//   dashboard/npm.sh e2e -- http://127.0.0.1:8080 target/screenshots
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const [base = 'http://127.0.0.1:8080', outArg = 'target/screenshots'] = process.argv.slice(2);
const out = resolve(outArg);
mkdirSync(out, { recursive: true });
// axe-core 4.14 (this package's own), not the 4.13 that @axe-core/playwright 4.13 comes with
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.TINYSCALE_CHROMIUM ?? '/usr/bin/chromium';
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 390, height: 844 };
const SMALLEST = { width: 360, height: 740 };

const log = (message) => console.log(`journey: ${message}`);
const failures = [];
const fail = (message) => {
  failures.push(message);
  console.log(`journey: FAILED ${message}`);
};

// Followed from other browsers (headless Chromium's own user agent counts as a bot), from
// addresses of three countries (the app trusts the loopback proxy in this test).
const VISITORS = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', '8.8.8.8', 'https://news.example.org/post'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', '81.2.69.142', 'https://mail.example.com/'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', '193.0.6.139', null],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', '8.8.4.4', 'https://news.example.org/post'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', '81.2.69.160', null],
];

async function step(name, action) {
  const started = Date.now();
  try {
    await action();
    log(`${name} (${Date.now() - started} ms)`);
  } catch (error) {
    fail(`${name}: ${error.stack ?? error}`);
    throw error;
  }
}

async function checkAccessibility(page, name) {
  const result = await new AxeBuilder({ page, axeSource })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.violations) {
    const where = v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(', ');
    log(`axe ${name}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help} at ${where}`);
  }
  if (bad.length) fail(`axe found ${bad.length} serious or critical violation(s) on ${name}`);
  else log(`axe ${name}: no serious or critical violation (${result.passes.length} rules passed)`);
}

async function shoot(page, name) {
  const width = page.viewportSize().width;
  await page.screenshot({ path: join(out, `${name}-${width}.png`), fullPage: true });
}

/** Nothing wider than the screen: no sideways scrolling at phone width. */
async function fitsTheScreen(page, name) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) throw new Error(`${name} is ${overflow} px wider than a ${page.viewportSize().width} px screen`);
}

async function heading(page, name) {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 20_000 });
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: WIDE, locale: 'en-US', timezoneId: 'Europe/Berlin', colorScheme: 'light' });
const page = await context.newPage();
const problems = [];
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
page.on('console', (message) => {
  if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
    problems.push(`console error: ${message.text()}`);
  }
});
await page.addInitScript(() => {
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
  });
});

const email = `e2e-${Date.now()}@example.com`;
const password = 'a long enough password';
const alias = `e2e${Date.now().toString(36)}`;

try {
  await step('a visitor lands on the login page', async () => {
    await page.goto(`${base}/dashboard`);
    await heading(page, 'Log in to TinyScale');
    if (!page.url().endsWith('/dashboard/login')) throw new Error(`at ${page.url()}`);
    await checkAccessibility(page, 'login');
    await shoot(page, 'login');
  });

  await step('registers (and is logged in)', async () => {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await heading(page, 'Create your TinyScale account');
    await checkAccessibility(page, 'register');
    await shoot(page, 'register');
    await page.setViewportSize(NARROW);
    await fitsTheScreen(page, 'the register page');
    await shoot(page, 'register');
    await page.setViewportSize(WIDE);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await heading(page, 'Links');
    await page.getByText('No links yet').waitFor();
    const key = await page.locator('.notice-key code').textContent();
    if (!key?.startsWith('ts_')) throw new Error(`no API key shown: ${key}`);
    await checkAccessibility(page, 'links, empty');
    await shoot(page, 'links-empty');
    await page.getByRole('button', { name: 'Done, I stored it' }).click();
  });

  await step('the API refuses a link, and the form says why next to the field', async () => {
    await page.getByLabel('URL to shorten').fill('ftp://example.com/file');
    await page.getByRole('button', { name: 'Shorten' }).click();
    const url = page.getByLabel('URL to shorten');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    const description = await url.evaluate((input) =>
      input.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id).textContent).join(' '),
    );
    if (!/http/.test(description)) throw new Error(`the URL field says: ${description}`);
    await checkAccessibility(page, 'links, invalid form');
    await shoot(page, 'links-invalid');
  });

  let shortUrl;
  await step('creates a link and sees it in the table', async () => {
    await page.getByLabel('URL to shorten').fill('https://example.com/blog/2026/12/how-we-count-every-click?utm_source=e2e');
    await page.getByLabel('Alias (optional)').fill(alias);
    await page.getByRole('button', { name: 'Shorten' }).click();
    const created = page.locator('.created a');
    await created.waitFor();
    shortUrl = await created.textContent();
    if (!shortUrl.endsWith(`/${alias}`)) throw new Error(`created ${shortUrl}`);
    await page.getByRole('table', { name: 'Your links' }).getByRole('link', { name: `/${alias}`, exact: true }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(`/${alias}`) });
    await row.getByText('Active').waitFor();
  });

  await step('edits the link’s redirect type to 301 in a dialog, and back to 302', async () => {
    const redirect = page.getByRole('row', { name: new RegExp(`/${alias}`) }).locator('td[data-label="Redirect"]');
    for (const type of ['301', '302']) {
      await page.getByRole('button', { name: `Edit /${alias}` }).click();
      const dialog = page.getByRole('dialog', { name: `Edit /${alias}` });
      await dialog.getByLabel('Redirect').selectOption(type);
      if (type === '301') await checkAccessibility(page, 'edit dialog');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await redirect.filter({ hasText: new RegExp(`^${type}$`) }).waitFor();
    }
  });

  await step('the link is followed from five browsers', async () => {
    for (const [agent, ip, referer] of VISITORS) {
      const res = await fetch(shortUrl, {
        redirect: 'manual',
        headers: { 'User-Agent': agent, 'X-Forwarded-For': ip, ...(referer ? { Referer: referer } : {}) },
      });
      if (res.status !== 302) throw new Error(`${shortUrl} answered ${res.status}`);
    }
  });

  await step('search finds it as you type', async () => {
    // the link is searchable once the search index has followed it (a second or so)
    const search = page.getByRole('searchbox', { name: 'Search' });
    const deadline = Date.now() + 30_000;
    for (let words = 'count every'; ; words = words === 'count every' ? 'count ever' : 'count every') {
      await search.fill(words);
      const found = page.getByText(`1 link matches “${words}”`);
      const none = page.getByText(`No links match “${words}”`);
      await found.or(none).waitFor();
      if (await found.isVisible()) break;
      if (Date.now() > deadline) throw new Error('search never found the link');
      await page.waitForTimeout(1000);
    }
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByText(/link, newest first/).waitFor();
  });

  await step('opens the QR code', async () => {
    await page.getByRole('button', { name: `QR code of /${alias}` }).click();
    const dialog = page.getByRole('dialog', { name: `QR code of /${alias}` });
    await dialog.waitFor();
    await page.waitForFunction(() => document.querySelector('dialog img')?.naturalWidth > 0);
    await checkAccessibility(page, 'QR code');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  await step('the table shows the clicks', async () => {
    const deadline = Date.now() + 45_000;
    const clicks = page.getByRole('row', { name: new RegExp(`/${alias}`) }).locator('td[data-label="Clicks"]');
    while ((await clicks.textContent()) !== String(VISITORS.length)) {
      if (Date.now() > deadline) throw new Error(`clicks: ${await clicks.textContent()}`);
      await page.waitForTimeout(1000);
      await page.reload();
      await clicks.waitFor();
    }
    const hidden = await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
    if (hidden > 0) throw new Error(`the links table is ${hidden} px wider than its card`);
    await checkAccessibility(page, 'links');
    await shoot(page, 'links');
  });

  await step('sorts the links by clicks', async () => {
    await page.getByRole('columnheader', { name: /^Clicks/ }).getByRole('button').click();
    await page.locator('th[aria-sort="descending"]', { hasText: 'Clicks' }).waitFor();
    await page.getByText(/links?, most clicked first/).waitFor();
  });

  await step('opens the link’s analytics', async () => {
    await page.getByRole('link', { name: `Analytics of /${alias}` }).click();
    await heading(page, `Analytics of /${alias}`);
    // the counts arrive through Kafka, the hourly rollups and OpenSearch: seconds after the clicks
    const deadline = Date.now() + 45_000;
    for (;;) {
      const people = await page.locator('.totals div', { hasText: /^People\d/ }).locator('dd').textContent().catch(() => '');
      const chart = await page.locator('.chart canvas').count();
      const countries = await page.getByRole('region', { name: 'Countries' }).getByRole('row').count();
      if (people === String(VISITORS.length) && chart > 0 && countries > 3) break;
      if (Date.now() > deadline) throw new Error(`people ${people}, chart ${chart}, countries rows ${countries}`);
      await page.waitForTimeout(1000);
      await page.reload();
      await heading(page, `Analytics of /${alias}`);
    }
    await page.getByRole('region', { name: 'Countries' }).getByText('United States', { exact: true }).waitFor();
    await page.locator('.country-map path.has-clicks').first().waitFor();
    // the cursor on the last hour shows its clicks under the chart
    const plot = await page.locator('.chart .u-over').boundingBox();
    await page.mouse.move(plot.x + plot.width - 10, plot.y + plot.height / 2);
    await page.locator('.u-legend .u-series', { hasText: 'Clicks' }).getByText(String(VISITORS.length)).waitFor();
    await checkAccessibility(page, 'analytics');
    await shoot(page, 'analytics');
    await page.getByRole('radio', { name: 'Last 7 days' }).check();
    await page.getByLabel('Buckets').selectOption('day');
    await page.getByRole('switch', { name: 'Include bots' }).check();
    await page.locator('.chart canvas').waitFor();
  });

  await step('clicks appear live: the feed, the counters and the chart move without a reload', async () => {
    await page.getByText(/^Live: new clicks appear here/).waitFor({ timeout: 20_000 });
    // a reload would drop this mark
    await page.evaluate(() => (window.__stillTheSamePage = true));
    const visitor = VISITORS[0];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(shortUrl, { redirect: 'manual', headers: { 'User-Agent': visitor[0], 'X-Forwarded-For': visitor[1] } });
      if (res.status !== 302) throw new Error(`${shortUrl} answered ${res.status}`);
    }
    const feed = page.getByRole('log', { name: 'Latest clicks' }).getByRole('listitem');
    await page.waitForFunction(() => document.querySelectorAll('[role=log] li').length === 3, null, { timeout: 10_000 });
    const first = await feed.first().textContent();
    if (!/United States/.test(first) || !/Firefox/.test(first) || !/direct/.test(first)) throw new Error(`feed: ${first}`);
    const people = page.locator('.totals div', { hasText: /^People\d/ }).locator('dd');
    await page.waitForFunction(
      (expected) => [...document.querySelectorAll('.totals div')].find((d) => d.textContent.startsWith('People'))?.querySelector('dd')?.textContent === expected,
      String(VISITORS.length + 3),
      { timeout: 10_000 },
    ).catch(async () => {
      throw new Error(`People shows ${await people.textContent()}, not ${VISITORS.length + 3}`);
    });
    // the chart's numbers (the table under it) add up to every click, the live ones included
    await page.waitForFunction(
      (expected) =>
        [...document.querySelectorAll('.figure table.numbers tbody td.number')].reduce((sum, td) => sum + Number(td.textContent.replace(/\D/g, '')), 0) === expected,
      VISITORS.length + 3,
      { timeout: 10_000 },
    );
    if (!(await page.evaluate(() => window.__stillTheSamePage))) throw new Error('the page was reloaded');
    await checkAccessibility(page, 'analytics, live');
    await shoot(page, 'analytics-live');
  });

  await step('a custom range of days, and its numbers as CSV files', async () => {
    await page.getByRole('radio', { name: 'Custom' }).check();
    // days of the browser's zone (Europe/Berlin here), not of this script's
    const [yesterday, today] = await page.evaluate(() =>
      [-1, 0].map((offset) => {
        const day = new Date();
        day.setDate(day.getDate() + offset);
        return [day.getFullYear(), day.getMonth() + 1, day.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
      }),
    );
    await page.getByLabel('First day').fill(today);
    await page.getByLabel('Last day').fill(yesterday);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('The last day must be on or after the first day.').waitFor();
    await page.getByLabel('First day').fill(yesterday);
    await page.getByLabel('Last day').fill(today);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('.chart canvas').waitFor();
    // every click so far: the link was made today (the live step's included)
    const all = await page.locator('.totals div', { hasText: /^All clicks\d/ }).locator('dd').textContent();
    // the new range's own numbers (not the last range's, kept while it loads); clicks shown live a
    // moment ago may reach them only when the page asks again, a few seconds after the last one
    await page.locator('.figure[aria-busy="false"] figcaption', { hasText: `${all} clicks from` }).waitFor({ timeout: 20_000 });
    await checkAccessibility(page, 'analytics, custom range');
    await shoot(page, 'analytics-custom');

    const save = async (button, name) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      const file = download.suggestedFilename();
      if (!name.test(file)) throw new Error(`the CSV file is named ${file}`);
      return readFileSync(await download.path(), 'utf8');
    };
    const clicks = await save('Download CSV of the clicks over time', new RegExp(`^${alias}-clicks-${yesterday}-${today}\\.csv$`));
    const lines = clicks.trimEnd().split('\r\n');
    if (lines[0] !== 'start,count' || !/^\d{4}-\d\d-\d\dT\d\d:00:00\+0[12]:00,\d+$/.test(lines[1] ?? '')) {
      throw new Error(`the clicks CSV starts ${lines.slice(0, 2).join(' / ')}`);
    }
    const sum = lines.slice(1).reduce((total, line) => total + Number(line.split(',')[1]), 0);
    if (String(sum) !== all) throw new Error(`the clicks CSV counts ${sum} clicks, not ${all}`);
    const countries = await save('Download CSV of countries', new RegExp(`^${alias}-countries-${yesterday}-${today}\\.csv$`));
    if (!countries.startsWith('key,label,count,share\r\n') || !/\r\nUS,United States,\d+,0\.\d+\r\n/.test(countries)) {
      throw new Error(`the countries CSV: ${countries}`);
    }
  });

  await step('the live page shows every link’s clicks as they happen', async () => {
    await page.getByRole('link', { name: 'Live', exact: true }).click();
    await heading(page, 'Live');
    await page.getByText(/^Live: new clicks appear here/).waitFor({ timeout: 20_000 });
    await page.getByText(/No clicks since you opened this page/).waitFor();
    await checkAccessibility(page, 'live, empty');
    const [agent, ip, referer] = VISITORS[1];
    const res = await fetch(shortUrl, { redirect: 'manual', headers: { 'User-Agent': agent, 'X-Forwarded-For': ip, Referer: referer } });
    if (res.status !== 302) throw new Error(`${shortUrl} answered ${res.status}`);
    const item = page.getByRole('log', { name: 'Latest clicks' }).getByRole('listitem').first();
    await item.getByRole('link', { name: `/${alias}` }).waitFor({ timeout: 10_000 });
    const text = await item.textContent();
    if (!/United Kingdom/.test(text) || !/from mail\.example\.com/.test(text)) throw new Error(`live page: ${text}`);
    await page.waitForFunction(() => document.querySelector('img.flag')?.naturalWidth > 0);
    await checkAccessibility(page, 'live');
    await shoot(page, 'live');
  });

  await step('the overview shows the account’s totals and top links', async () => {
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await heading(page, 'Overview');
    await page.getByRole('table').getByRole('link', { name: `/${alias}`, exact: true }).waitFor();
    await checkAccessibility(page, 'overview');
    await shoot(page, 'overview');
  });

  await step('at phone width (360 and 390 px), and in dark mode', async () => {
    await page.setViewportSize(SMALLEST);
    await page.getByRole('link', { name: 'Links', exact: true }).click();
    await heading(page, 'Links');
    await page.getByRole('link', { name: `/${alias}`, exact: true }).waitFor();
    await fitsTheScreen(page, 'the links page');
    await checkAccessibility(page, 'links at 360 px');
    await page.setViewportSize(NARROW);
    await shoot(page, 'links');
    await page.getByRole('link', { name: `Analytics of /${alias}` }).click();
    await heading(page, `Analytics of /${alias}`);
    await page.locator('.chart canvas').waitFor();
    await shoot(page, 'analytics');
    await page.setViewportSize(SMALLEST);
    await fitsTheScreen(page, 'the analytics page');
    await checkAccessibility(page, 'analytics at 360 px');
    for (const [name, title] of [['Live', 'Live'], ['Overview', 'Overview']]) {
      await page.setViewportSize(SMALLEST);
      await page.getByRole('link', { name, exact: true }).click();
      await heading(page, title);
      await fitsTheScreen(page, `the ${name.toLowerCase()} page`);
      await checkAccessibility(page, `${name.toLowerCase()} at 360 px`);
      await page.setViewportSize(NARROW);
      await shoot(page, name.toLowerCase());
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize(WIDE);
    // back from the overview to the link's analytics
    await page.getByRole('link', { name: 'Links', exact: true }).click();
    await page.getByRole('link', { name: `Analytics of /${alias}` }).click();
    await heading(page, `Analytics of /${alias}`);
    await page.locator('.chart canvas').waitFor();
    await checkAccessibility(page, 'analytics, dark');
    await shoot(page, 'analytics-dark');
    await page.getByRole('link', { name: 'Links', exact: true }).click();
    await heading(page, 'Links');
    await checkAccessibility(page, 'links, dark');
    await shoot(page, 'links-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('a disabled link answers 410, and enabled again it redirects', async () => {
    await page.getByRole('link', { name: 'Links', exact: true }).click();
    await heading(page, 'Links');
    const row = page.getByRole('row', { name: new RegExp(`/${alias}`) });
    await row.getByRole('button', { name: `Disable /${alias}` }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    // every replica forgets the cached link at once (the invalidation message): no wait here
    let res = await fetch(shortUrl, { redirect: 'manual', headers: { 'User-Agent': VISITORS[0][0] } });
    if (res.status !== 410) throw new Error(`a disabled link answered ${res.status}`);
    await row.getByRole('button', { name: `Enable /${alias}` }).click();
    await row.getByText('Active', { exact: true }).waitFor();
    res = await fetch(shortUrl, { redirect: 'manual', headers: { 'User-Agent': VISITORS[0][0] } });
    if (res.status !== 302) throw new Error(`an enabled link answered ${res.status}`);
  });

  await step('creates an API key, uses it, revokes it', async () => {
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await heading(page, 'API keys');
    const table = page.getByRole('table', { name: 'Your API keys' });
    // the key made at registration
    await table.getByRole('rowheader', { name: 'default' }).waitFor();
    await checkAccessibility(page, 'api keys');
    await shoot(page, 'keys');
    await page.getByLabel('Name').fill('e2e script');
    await page.getByRole('button', { name: 'Create key' }).click();
    const notice = page.locator('.notice-key');
    await notice.getByText('it will not be shown again').waitFor();
    const key = await notice.locator('code').textContent();
    if (!/^ts_\w{43}$/.test(key)) throw new Error(`the new key: ${key}`);
    const row = table.getByRole('row', { name: /e2e script/ });
    await row.getByText(`${key.slice(0, 10)}…`).waitFor();
    if ((await table.textContent()).includes(key)) throw new Error('the list shows a whole key');
    await checkAccessibility(page, 'api keys, new key');
    const asKey = () => fetch(`${base}/api/links`, { headers: { Authorization: `Bearer ${key}` } });
    let res = await asKey();
    if (res.status !== 200) throw new Error(`with the new key /api/links answers ${res.status}`);
    await page.getByRole('button', { name: 'Done, I stored it' }).click();
    if (await page.getByText(key).count()) throw new Error('the key is still shown');

    await row.getByRole('button', { name: /^Revoke e2e script/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “e2e script”?' });
    await dialog.waitFor();
    await checkAccessibility(page, 'api keys, revoke');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await row.waitFor({ state: 'detached' });
    res = await asKey();
    if (res.status !== 401) throw new Error(`with the revoked key /api/links answers ${res.status}`);

    await page.setViewportSize(SMALLEST);
    await fitsTheScreen(page, 'the API keys page');
    await checkAccessibility(page, 'api keys at 360 px');
    await page.setViewportSize(NARROW);
    await shoot(page, 'keys');
    await page.setViewportSize(WIDE);
  });

  await step('logs out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await heading(page, 'Log in to TinyScale');
    await page.getByText('You are logged out.').waitFor();
    await page.setViewportSize(NARROW);
    await fitsTheScreen(page, 'the login page');
    await shoot(page, 'login');
    await page.setViewportSize(WIDE);
    const res = await page.request.get(`${base}/api/links`);
    if (res.status() !== 401) throw new Error(`after logout /api/links answers ${res.status()}`);
  });

  await step('logs in again and sees the link, then logs out', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await heading(page, 'Links');
    await page.getByRole('link', { name: `/${alias}`, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await heading(page, 'Log in to TinyScale');
  });
} catch {
  // the step said what failed
} finally {
  await browser.close();
}

for (const problem of problems) fail(problem);
if (failures.length) {
  console.log(`journey: ${failures.length} failure(s); screenshots in ${out}`);
  process.exit(1);
}
console.log(`journey: every step passed; screenshots in ${out}`);
