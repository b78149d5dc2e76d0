import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { ScanReport } from '../../cli/report.js';
import { CHART_IDS, renderHtml } from '../../cli/export/htmlReport.js';
import { repoRoot } from '../support/repoRoot.js';
import { HOSTILE_NAMES, hostileData } from '../support/hostileReport.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const run = promisify(execFile);

function elements(node: Node, found: Element[] = []): Element[] {
  if ('tagName' in node) found.push(node);
  const children = 'content' in node && node.content ? node.content.childNodes : 'childNodes' in node ? node.childNodes : [];
  for (const child of children) elements(child, found);
  return found;
}
const attribute = (element: Element, name: string): string | undefined => element.attrs.find((attr) => attr.name === name)?.value;
function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}
const byId = (all: Element[], id: string): Element | undefined => all.find((element) => attribute(element, 'id') === id);
const bars = (chart: Element | undefined): Element[] => (chart ? elements(chart).filter((element) => element.tagName === 'rect' && attribute(element, 'class') === 'bar') : []);

describe('the HTML report, parsed with an HTML parser', () => {
  const html = renderHtml(hostileData());
  const all = elements(parse(html));

  it('ARM text is text: no element, script or handler comes from it', () => {
    const scripts = all.filter((element) => element.tagName === 'script');
    assert.equal(scripts.length, 1, 'only the filter script');
    assert.doesNotMatch(textOf(scripts[0]!), /pwned/);
    assert.equal(all.filter((element) => element.tagName === 'img').length, 0);
    assert.ok(all.every((element) => element.attrs.every((attr) => !attr.name.startsWith('on'))), 'no event handler attribute');
    const cells = all.filter((element) => element.tagName === 'td').map(textOf);
    for (const name of HOSTILE_NAMES) assert.ok(cells.includes(name), `${name} is shown as text`);
    assert.ok(cells.includes('<script>window.__pwned=2</script>'));
    assert.ok(all.some((element) => element.tagName === 'title' && textOf(element) === 'ESU scan <scan>'));
  });

  it('loads nothing: no src or href, a policy that forbids fetches and allows only the filter script by its hash', () => {
    assert.deepEqual(all.filter((element) => element.attrs.some((attr) => attr.name === 'src' || attr.name === 'href' || attr.name === 'xlink:href')).map((element) => element.tagName), []);
    const policy = all.find((element) => element.tagName === 'meta' && attribute(element, 'http-equiv') === 'Content-Security-Policy');
    const content = policy ? attribute(policy, 'content') ?? '' : '';
    assert.match(content, /default-src 'none'/);
    const script = textOf(all.find((element) => element.tagName === 'script')!);
    assert.ok(content.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`), 'the policy allows exactly the script present');
  });

  it('charts: a bar per non-zero figure, each with its figures in words and a pattern besides colour', () => {
    const programs = byId(all, CHART_IDS.programs);
    assert.equal(bars(programs).length, 2, 'WS2016: failed and warnings');
    assert.match(textOf(programs!), /2 failed · 1 warnings/);
    assert.deepEqual(bars(byId(all, CHART_IDS.rules)).map((bar) => attribute(bar, 'data-series')), ['Failed', 'PassedWithWarning', 'Failed']);
    const agents = byId(all, CHART_IDS.agents);
    assert.equal(bars(agents).length, 3, 'a bar per agent version');
    assert.match(textOf(agents!), /1 machine\(s\), affected by 2 advisories/);
    const patterns = all.filter((element) => element.tagName === 'pattern');
    assert.ok(patterns.some((pattern) => elements(pattern).some((element) => element.tagName === 'path')), 'hatched or crossed patterns, not colour alone');
    assert.equal(byId(all, CHART_IDS.plan), undefined, 'no plan: no plan chart');
    assert.match(textOf(byId(all, 'plan')!), /No license plan is stored/);
  });

  it('the findings table has a filter and a row per finding, tagged with its result', () => {
    assert.ok(byId(all, 'filter-text') && byId(all, 'filter-result'));
    const rows = elements(byId(all, 'findings')!).filter((element) => element.tagName === 'tr' && attribute(element, 'data-result'));
    assert.deepEqual(rows.map((row) => attribute(row, 'data-result')), ['Failed', 'Failed', 'PassedWithWarning']);
  });
});

describe('esu-scan scan --html and export --html on the sample estate', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-html-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, 'azurite') };
  for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS', 'ESU_PRICES']) delete env[name];
  const cli = (...args: string[]) => run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), ...args], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('writes a report whose sections match the scan report', async () => {
    const { stdout } = await cli('scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--quiet', '--as-of', '2026-09-01', '--report', join(work, 'report.json'), '--html', join(work, 'scan.html'));
    assert.match(stdout, /HTML report: .*scan\.html/);
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as ScanReport;
    for (const file of ['scan.html', 'export.html']) {
      if (file === 'export.html') assert.match((await cli('export', '--html', join(work, file))).stdout, /HTML report: .*export\.html/);
      const all = elements(parse(readFileSync(join(work, file), 'utf8')));
      const rows = elements(byId(all, 'findings')!).filter((element) => element.tagName === 'tr' && attribute(element, 'data-result'));
      assert.equal(rows.length, report.findings.filter((finding) => finding.result !== 'Passed').length, file);
      const expectedProgramBars = report.summary.programs.reduce((sum, program) => sum + ['Failed', 'Error', 'PassedWithWarning'].filter((result) => program.counts[result as 'Failed'] > 0).length, 0);
      if (file === 'scan.html') assert.equal(bars(byId(all, CHART_IDS.programs)).length, expectedProgramBars);
      assert.equal(bars(byId(all, CHART_IDS.plan)).length, report.plan!.programs.reduce((sum, program) => sum + (program.coresBilledNow > 0 ? 1 : 0) + (program.coresBilledAfter > 0 ? 1 : 0), 0));
      assert.equal(all.filter((element) => element.tagName === 'script').length, 1);
    }
  });
});
