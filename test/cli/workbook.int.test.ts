import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { ScanReport } from '../../cli/report.js';
import type { ExportData, ExportFinding } from '../../cli/export/exportData.js';
import { EXCEL_MAX_CELL_TEXT, EXCEL_MAX_ROWS, splitRows, writeWorkbook } from '../../cli/export/workbook.js';
import { repoRoot } from '../support/repoRoot.js';
import { buildProgram } from '../../cli/main.js';

const run = promisify(execFile);

async function readBack(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

/** The parts of the file as Excel reads them, read with a second library (the raw XML, not exceljs's model). */
async function xmlParts(file: string): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const parts = new Map<string, string>();
  for (const name of Object.keys(zip.files)) if (name.endsWith('.xml')) parts.set(name, await zip.file(name)!.async('string'));
  return parts;
}

const dataRows = (sheet: ExcelJS.Worksheet): number => sheet.actualRowCount - 1;
const headers = (sheet: ExcelJS.Worksheet): string[] => (sheet.getRow(1).values as unknown[]).slice(1).map(String);

describe('esu-scan scan --xlsx and export --xlsx on the sample estate', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-xlsx-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ESU_LOCAL_DATA_DIR: join(work, 'azurite') };
  for (const name of ['ESU_STORAGE', 'ESU_STORAGE__tableServiceUri', 'ESU_SERVICEBUS', 'ESU_SERVICEBUS__fullyQualifiedNamespace', 'ESU_SUBSCRIPTION_IDS', 'ESU_PRICES']) delete env[name];
  const cli = (...args: string[]) => run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), ...args], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 });
  after(() => rmSync(work, { recursive: true, force: true }));
  let report: ScanReport;

  it('scan --xlsx writes a workbook whose sheets match the report', async () => {
    const { stdout } = await cli('scan', '--estate', join(repoRoot(), 'samples', 'estate'), '--quiet', '--as-of', '2026-09-01', '--report', join(work, 'report.json'), '--xlsx', join(work, 'scan.xlsx'));
    assert.match(stdout, /Workbook: .*scan\.xlsx/);
    report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as ScanReport;
    const workbook = await readBack(join(work, 'scan.xlsx'));
    assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Summary', 'Plan', 'Plan core-months', 'Findings', 'Jobs', 'Machines']);
    const nonPassing = report.findings.filter((finding) => finding.result !== 'Passed');
    const findings = workbook.getWorksheet('Findings')!;
    assert.equal(dataRows(findings), nonPassing.length);
    assert.deepEqual(headers(findings).slice(0, 8), ['Subscription', 'Resource group', 'Resource', 'Resource type', 'Rule', 'Result', 'Severity', 'Message']);
    assert.equal(dataRows(workbook.getWorksheet('Jobs')!), report.jobs.length);
    assert.ok(report.plan);
    assert.equal(dataRows(workbook.getWorksheet('Plan')!), report.plan.licenses.length);
    const machineIds = new Set(report.findings.filter((f) => f.resourceType === 'Microsoft.HybridCompute/machines').map((f) => f.resourceId.toLowerCase()));
    assert.equal(dataRows(workbook.getWorksheet('Machines')!), machineIds.size);

    const summary = workbook.getWorksheet('Summary')!;
    const ws2012 = summary.getRow(1 + 1 + report.summary.programs.findIndex((program) => program.id === 'WS2012'));
    assert.equal(ws2012.getCell(1).value, 'WS2012');
    // Dates as dates, numbers as numbers.
    assert.ok(ws2012.getCell(5).value instanceof Date, 'ESU end is a date');
    assert.equal((ws2012.getCell(5).value as Date).toISOString(), '2026-10-13T00:00:00.000Z');
    assert.equal(ws2012.getCell(5).numFmt, 'yyyy-mm-dd');
    assert.equal(ws2012.getCell(7).type, ExcelJS.ValueType.Number);
    assert.equal(ws2012.getCell(7).value, report.summary.programs.find((program) => program.id === 'WS2012')?.machines);
    const evaluated = findings.getRow(2).getCell(11);
    assert.ok(evaluated.value instanceof Date, 'Evaluated is a date');
    const plan = workbook.getWorksheet('Plan')!;
    const planCores = plan.getRow(2).getCell(8);
    assert.equal(planCores.type, ExcelJS.ValueType.Number);
    const existing = report.plan.licenses.findIndex((row) => !row.proposed);
    const link = plan.getRow(existing + 2).getCell(headers(plan).indexOf('Link') + 1);
    assert.equal(link.type, ExcelJS.ValueType.Hyperlink);
    assert.match(String((link.value as { hyperlink: string }).hyperlink), /^https:\/\/portal\.azure\.com\/#resource\/subscriptions\/.*\/providers\/Microsoft\.HybridCompute\/licenses\//);
    const notRead = report.summary.reads.filter((read) => read.status !== 'read');
    assert.ok(notRead.length > 0);
    const summaryText = JSON.stringify(summary.getSheetValues());
    for (const read of notRead) assert.ok(summaryText.includes(`Not read: ${read.subscriptionId}`));
  });

  it('every sheet is an Excel table with filters and a frozen header (checked in the raw XML)', async () => {
    const parts = await xmlParts(join(work, 'scan.xlsx'));
    const tables = [...parts].filter(([name]) => name.startsWith('xl/tables/'));
    assert.equal(tables.length, 6);
    for (const [, xml] of tables) assert.match(xml, /<autoFilter ref="A1:[A-Z]+\d+"/);
    const sheets = [...parts].filter(([name]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
    assert.equal(sheets.length, 6);
    for (const [name, xml] of sheets) {
      assert.match(xml, /<pane [^>]*ySplit="1"[^>]*state="frozen"/, `${name} freezes its header`);
      assert.match(xml, /<col [^>]*width="/, `${name} sets widths`);
      assert.doesNotMatch(xml, /<f[ >]/, `${name} holds no formula`);
    }
  });

  it('export --xlsx writes the stored results of the last scan', async () => {
    const { stdout } = await cli('export', '--xlsx', join(work, 'export.xlsx'));
    assert.match(stdout, /Workbook: .*export\.xlsx/);
    const workbook = await readBack(join(work, 'export.xlsx'));
    assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Summary', 'Plan', 'Plan core-months', 'Findings', 'Jobs', 'Machines']);
    assert.equal(dataRows(workbook.getWorksheet('Findings')!), report.findings.filter((finding) => finding.result !== 'Passed').length);
    assert.equal(dataRows(workbook.getWorksheet('Plan')!), report.plan?.licenses.length);
    // Locally no Service Bus is configured: the jobs of this run's messages wait in the outbox.
    const jobIds = new Set(report.jobs.map((job) => job.jobId));
    const jobs = workbook.getWorksheet('Jobs')!;
    assert.ok(dataRows(jobs) > 0);
    const idColumn = headers(jobs).indexOf('Resource id') + 1;
    const jobResources = new Set(report.jobs.map((job) => job.resourceId));
    jobs.eachRow((row, index) => { if (index > 1) assert.ok(jobResources.has(String(row.getCell(idColumn).value))); });
    assert.ok(jobIds.size >= dataRows(jobs));
  });

  it('export without a file is a usage error; before any scan it says so', async () => {
    await assert.rejects(cli('export'), (error: { code?: number; stderr?: string }) => error.code === 2 && /--xlsx FILE/.test(error.stderr ?? ''));
    const fresh = { ...env, ESU_LOCAL_DATA_DIR: join(work, 'empty') };
    await assert.rejects(run(process.execPath, [join(repoRoot(), 'bin', 'esu-scan.js'), 'export', '--xlsx', join(work, 'none.xlsx')], { env: fresh, cwd: work }),
      (error: { code?: number; stderr?: string }) => error.code === 1 && /run esu-scan scan first/.test(error.stderr ?? ''));
  });
});

const hostile = ['=HYPERLINK("https://attacker.example","click")', '+1+1', '-2+3', '@SUM(A1)'];

function finding(index: number, name = `machine-${index}`): ExportFinding {
  return {
    scanId: 'scan-1', ruleId: 'ESU.Machine.Connected', ruleGroup: 'Machine', ruleTitle: 'Connected', result: 'Failed', severity: 'High',
    subscriptionId: '00000000-0000-0000-0000-000000000001', resourceId: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/${name}`,
    resourceType: 'Microsoft.HybridCompute/machines', resourceName: name, resourceGroup: 'rg', message: name, messageId: 'Connected.Failed',
    evidence: { agentVersion: name, osName: name, cores: 4 }, remediation: '', evaluatedAt: '2026-12-01T10:00:00.000Z', firstSeen: '2026-11-01T08:30:00.000Z',
  };
}

function syntheticData(findings: readonly ExportFinding[]): ExportData {
  return {
    scanId: 'scan-1', startedAt: new Date('2026-12-01T10:00:00Z'), evaluatedAsOf: new Date('2026-12-01T10:00:00Z'), source: 'scan', programs: [],
    subscriptionsRequested: 1, subscriptionsScanned: 1, reads: [{ subscriptionId: '=1+1', status: 'could not read', reasons: ['@cmd'] }],
    findings, jobs: [], machines: [],
  };
}

describe('workbook safety and limits', () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-xlsx-unit-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('ARM text starting with = + - @ is written as text, never as a formula', async () => {
    const file = join(work, 'hostile.xlsx');
    await writeWorkbook(syntheticData(hostile.map((name, index) => finding(index, name))), file);
    const sheet = (await readBack(file)).getWorksheet('Findings')!;
    const column = headers(sheet).indexOf('Resource') + 1;
    hostile.forEach((name, index) => {
      const cell = sheet.getRow(index + 2).getCell(column);
      assert.equal(cell.type, ExcelJS.ValueType.String, `${name} is a string`);
      assert.equal(cell.value, name);
      assert.equal(cell.numFmt, '@', `${name} is formatted as text`);
    });
    for (const [name, xml] of await xmlParts(file)) assert.doesNotMatch(xml, /<f[ >]/, `${name} holds no formula`);
    const text = [...(await xmlParts(file)).values()].join('');
    assert.ok(text.includes('=HYPERLINK(&quot;https://attacker.example&quot;,&quot;click&quot;)'), 'the text is kept whole as a string');
  });

  it('a text longer than an Excel cell holds is cut, and says so', async () => {
    const file = join(work, 'long.xlsx');
    const long = { ...finding(0), message: 'x'.repeat(40_000) };
    await writeWorkbook(syntheticData([long]), file);
    const sheet = (await readBack(file)).getWorksheet('Findings')!;
    const message = String(sheet.getRow(2).getCell(headers(sheet).indexOf('Message') + 1).value);
    assert.equal(message.length, EXCEL_MAX_CELL_TEXT);
    assert.match(message, /cut: longer than an Excel cell holds\)$/);
  });

  it('a part larger than a sheet splits over numbered sheets, each a table; the summary says so', async () => {
    const file = join(work, 'split.xlsx');
    await writeWorkbook(syntheticData(Array.from({ length: 9 }, (_, index) => finding(index))), file, { rowLimit: 5 });
    const workbook = await readBack(file);
    const parts = ['Findings', 'Findings 2', 'Findings 3'].map((name) => workbook.getWorksheet(name));
    assert.deepEqual(parts.map((sheet) => (sheet ? dataRows(sheet) : -1)), [4, 4, 1]);
    assert.equal(parts[2]!.getRow(2).getCell(3).value, 'machine-8');
    assert.ok(JSON.stringify(workbook.getWorksheet('Summary')!.getSheetValues()).includes('Findings, Findings 2, Findings 3'));
    const tables = [...(await xmlParts(file)).keys()].filter((name) => name.startsWith('xl/tables/'));
    assert.ok(tables.length >= 3);
  });

  it('the workbook is written as a stream: split sheets each an Excel table, typed and safe cells, frozen headers', async () => {
    const file = join(work, 'streamed.xlsx');
    const findings = [...hostile.map((name, index) => finding(index, name)), finding(9)];
    await writeWorkbook(syntheticData(findings), file, { rowLimit: 4 });
    const workbook = await readBack(file);
    assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Summary', 'Plan', 'Plan core-months', 'Findings', 'Findings 2', 'Jobs', 'Machines']);
    const first = workbook.getWorksheet('Findings')!;
    assert.deepEqual([dataRows(first), dataRows(workbook.getWorksheet('Findings 2')!)], [3, 2]);
    const column = headers(first).indexOf('Resource') + 1;
    hostile.slice(0, 3).forEach((name, index) => {
      const cell = first.getRow(index + 2).getCell(column);
      assert.equal(cell.type, ExcelJS.ValueType.String);
      assert.equal(cell.value, name);
      assert.equal(cell.numFmt, '@');
    });
    const seen = first.getRow(2).getCell(headers(first).indexOf('First seen') + 1);
    assert.ok(seen.value instanceof Date);
    assert.equal((seen.value as Date).toISOString(), '2026-11-01T08:30:00.000Z');
    const summary = JSON.stringify(workbook.getWorksheet('Summary')!.getSheetValues());
    assert.ok(summary.includes('Findings, Findings 2'));
    const parts = await xmlParts(file);
    // The two sheets with rows are tables (as exceljs reads them back too); the empty ones keep the header's filter.
    const tables = [...parts].filter(([name]) => name.startsWith('xl/tables/')).map(([, xml]) => xml);
    assert.deepEqual(tables.map((xml) => /<table [^>]*name="([^"]+)"[^>]*ref="([^"]+)"/.exec(xml)?.slice(1)), [['Findings', 'A1:L4'], ['Findings_2', 'A1:L3']]);
    for (const xml of tables) assert.match(xml, /<autoFilter ref="A1:L\d"\/><tableColumns count="12"><tableColumn id="1" name="Subscription"\/>/);
    assert.match(parts.get('[Content_Types].xml') ?? '', /PartName="\/xl\/tables\/table2\.xml"/);
    assert.deepEqual(Object.keys((first as unknown as { tables: Record<string, unknown> }).tables), ['Findings']);
    const sheets = [...parts].filter(([name]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
    assert.equal(sheets.length, 7);
    for (const [name, xml] of sheets) {
      assert.match(xml, /<autoFilter ref="A1:[A-Z]+1"|<tableParts count="1"><tablePart r:id="rId\d+"\/><\/tableParts><\/worksheet>$/, `${name} has filters`);
      assert.match(xml, /<pane [^>]*ySplit="1"[^>]*state="frozen"/, `${name} freezes its header`);
      assert.doesNotMatch(xml, /<f[ >]/, `${name} holds no formula`);
    }
  });

  it('1,048,577 rows lay out over two sheets of Excel\'s 1,048,576 rows (header included)', () => {
    const parts = splitRows('Findings', 1_048_577);
    assert.equal(EXCEL_MAX_ROWS, 1_048_576);
    assert.deepEqual(parts, [
      { name: 'Findings', from: 0, to: 1_048_575 },
      { name: 'Findings 2', from: 1_048_575, to: 1_048_577 },
    ]);
    assert.equal(splitRows('Findings', 1_048_575).length, 1);
  });
});

describe('docs/reports.md', () => {
  it('every esu-scan command it shows names a command and options the CLI defines', () => {
    const text = readFileSync(join(repoRoot(), 'docs', 'reports.md'), 'utf8');
    const lines = [...text.matchAll(/^npx esu-scan (.+)$/gm)].map((match) => match[1] ?? '');
    assert.ok(lines.length >= 2);
    const program = buildProgram();
    for (const line of lines) {
      const [name, ...words] = line.split(/\s+/);
      const command = program.commands.find((candidate) => candidate.name() === name);
      assert.ok(command, `${line}: no command ${name}`);
      const flags = new Set(command.options.map((option) => option.long));
      for (const word of words.filter((item) => item.startsWith('--'))) assert.ok(flags.has(word), `${line}: ${name} has no ${word}`);
    }
  });
});

// 1,048,577 rows written and read back: about 45 s and 2 GB on a 2-core machine, so it runs when asked
// (ESU_TEST_MILLION_ROWS=1 node --max-old-space-size=3000 --test dist/test/cli/workbook.int.test.js).
describe('a workbook of 1,048,577 findings', { skip: process.env['ESU_TEST_MILLION_ROWS'] === '1' ? false : 'set ESU_TEST_MILLION_ROWS=1 to write and read back a million rows' }, () => {
  const work = mkdtempSync(join(tmpdir(), 'esu-xlsx-million-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('splits over Findings (1,048,575 rows under its header) and Findings 2 (2 rows)', async () => {
    const file = join(work, 'million.xlsx');
    const base = finding(0);
    await writeWorkbook(syntheticData(Array.from({ length: EXCEL_MAX_ROWS + 1 }, (_, index) => ({ ...base, resourceName: `m${index}` }))), file);
    const zip = await JSZip.loadAsync(readFileSync(file));
    const names = [...(await zip.file('xl/workbook.xml')!.async('string')).matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(names, ['Summary', 'Plan', 'Plan core-months', 'Findings', 'Findings 2', 'Jobs', 'Machines']);
    // Read as bytes: the first sheet's XML is larger than a JavaScript string may be.
    const full = await zip.file('xl/worksheets/sheet4.xml')!.async('nodebuffer');
    assert.match(full.subarray(full.length - 20_000).toString(), /<row r="1048576"[^>]*>(?![\s\S]*<row r=)/);
    assert.match(full.subarray(0, 20_000).toString() + full.subarray(full.length - 20_000).toString(), /<autoFilter ref="A1:L1048576"/);
    const rest = await zip.file('xl/worksheets/sheet5.xml')!.async('string');
    assert.equal((rest.match(/<row /g) ?? []).length, 3);
    assert.match(rest, /m1048576/);
  });
});
