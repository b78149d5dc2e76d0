import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { ScanReport } from '../../cli/report.js';
import { CHART_IDS, renderHtml } from '../../cli/export/htmlReport.js';
import { repoRoot } from '../support/repoRoot.js';
import { HOSTILE_NAMES, hostileData } from '../support/hostileReport.js';

const run = promisify(execFile);

/** Debian's `chromium` (.ci/run installs it where missing), or the browser CHROMIUM_PATH names. */
function browserPath(): string | undefined {
  return [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path): path is string => Boolean(path && existsSync(path)));
}

const executablePath = browserPath();
// CI sets BROWSER_REQUIRED=1 once it installed Chromium: there, a missing browser fails instead of skipping.
const skip = executablePath || process.env['BROWSER_REQUIRED'] === '1' ? false : 'no Chromium installed (apt-get install chromium, or set CHROMIUM_PATH)';

describe('the HTML report in headless Chromium', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-browser-'));
  let browser: Browser;
  before(async () => {
    assert.ok(executablePath, 'BROWSER_REQUIRED=1 but no Chromium was found');
    browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Opens a file, recording console errors, page errors and every request but the file itself. */
  async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => { if (request.url() !== url) requests.push(request.url()); });
    await page.setViewport({ width: 1280, height: 1700 });
    await page.goto(url, { waitUntil: 'networkidle0' });
    return { page, errors, requests };
  }

  const countBars = (page: Page, id: string): Promise<number> => page.$$eval(`svg#${id} rect.bar`, (found) => found.length);

  it('the sample estate: no console error, no request, charts with the expected bars, a screenshot', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, 'azurite') };
    for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS', 'ESU_PRICES']) delete env[name];
    const file = join(work, 'estate.html');
    await run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), 'scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--quiet', '--as-of', '2026-12-07', '--report', join(work, 'report.json'), '--html', file], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as ScanReport;
    const { page, errors, requests } = await open(file);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
    const results = ['Failed', 'Error', 'PassedWithWarning'] as const;
    assert.equal(await countBars(page, CHART_IDS.programs), report.summary.programs.reduce((sum, program) => sum + results.filter((result) => program.counts[result] > 0).length, 0));
    assert.equal(await countBars(page, CHART_IDS.plan), report.plan!.programs.reduce((sum, program) => sum + (program.coresBilledNow > 0 ? 1 : 0) + (program.coresBilledAfter > 0 ? 1 : 0), 0));
    const failingRules = new Set(report.findings.filter((finding) => finding.result !== 'Passed').map((finding) => finding.ruleId));
    assert.equal(await page.$$eval(`svg#${CHART_IDS.rules} text.row-label`, (found) => found.length), Math.min(15, failingRules.size));
    const agentRows = await page.$$eval('#agents table tbody tr', (found) => found.length);
    assert.ok(agentRows > 1);
    assert.equal(await countBars(page, CHART_IDS.agents), agentRows);
    // The charts are drawn: the bars have a size on screen.
    assert.ok(await page.$eval(`svg#${CHART_IDS.programs} rect.bar`, (bar) => bar.getBoundingClientRect().width > 1));
    const screenshot = process.env['ESU_REPORT_SCREENSHOT'] ?? join(work, 'report.png');
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot as `${string}.png`, clip: { x: 0, y: 0, width: 1280, height: 1700 } });
    assert.ok(readFileSync(screenshot).length > 10_000);
    await page.close();
  });

  it('hostile machine names stay text, run nothing, and the filter finds them', async () => {
    const file = join(work, 'hostile.html');
    writeFileSync(file, renderHtml(hostileData()));
    const { page, errors, requests } = await open(file);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.equal(await page.$$eval('img', (found) => found.length), 0);
    const cells = await page.$$eval('#findings tbody td', (found) => found.map((cell) => cell.textContent));
    for (const name of HOSTILE_NAMES) assert.ok(cells.includes(name), `${name} shown as text`);
    const visibleRows = (): Promise<number> => page.$$eval('#findings tbody tr', (rows) => rows.filter((row) => !(row as unknown as { hidden: boolean }).hidden).length);
    assert.equal(await visibleRows(), 3);
    await page.type('#filter-text', '<script>');
    assert.equal(await visibleRows(), 1);
    assert.match(await page.$eval('#filter-count', (element) => element.textContent ?? ''), /^1 of 3 findings shown$/);
    await page.$eval('#filter-text', (input) => { (input as unknown as { value: string }).value = ''; });
    await page.select('#filter-result', 'PassedWithWarning');
    assert.equal(await visibleRows(), 1);
    await page.close();
  });
});
