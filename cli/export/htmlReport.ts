/**
 * The one-file HTML report: inline CSS, inline SVG charts, one inline script (the findings filter) allowed by
 * its hash. The Content-Security-Policy forbids every fetch, so the file works offline and loads nothing even
 * if some text escaped its escaping; every text from ARM goes through `escapeHtml`.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { CHECK_RESULTS } from '../../shared/domain/findings.js';
import type { ExportData, ExportFinding, MachineRow } from './exportData.js';
import { AgentTally, RuleTally, sourceOf, type AgentVersion, type ExportSource, type FailingRule } from './exportSource.js';
import { escapeHtml as esc } from './htmlText.js';
import { barChart, type ChartRow, type ChartSeries } from './svgCharts.js';

const RESULT_SERIES: readonly ChartSeries[] = [
  { key: 'Failed', label: 'failed', colour: '#b3261e', pattern: 'solid' },
  { key: 'Error', label: 'could not check', colour: '#6f4e9c', pattern: 'cross' },
  { key: 'PassedWithWarning', label: 'warnings', colour: '#b86e00', pattern: 'hatch' },
];
const CORE_SERIES: readonly ChartSeries[] = [
  { key: 'now', label: 'cores billed now', colour: '#1f5f99', pattern: 'solid' },
  { key: 'after', label: 'after the plan', colour: '#2e7d32', pattern: 'hatch' },
];
const AGENT_SERIES: readonly ChartSeries[] = [
  { key: 'affected', label: 'machines with advisories', colour: '#b3261e', pattern: 'hatch' },
  { key: 'clear', label: 'machines without', colour: '#2e7d32', pattern: 'solid' },
];
/** The chart ids, for the tests and the browser check. */
export const CHART_IDS = { programs: 'chart-programs', plan: 'chart-plan', rules: 'chart-rules', agents: 'chart-agents' } as const;
/** Rules shown in the failing-rules chart (all of them are in the table below it). */
const RULES_CHARTED = 15;

const FILTER_SCRIPT = `(() => {
  const text = document.getElementById('filter-text');
  const result = document.getElementById('filter-result');
  const count = document.getElementById('filter-count');
  const rows = Array.from(document.querySelectorAll('#findings tbody tr'));
  const texts = rows.map((row) => row.textContent.toLowerCase());
  const apply = () => {
    const words = text.value.toLowerCase().trim();
    let shown = 0;
    rows.forEach((row, index) => {
      const visible = (!result.value || row.dataset.result === result.value) && (!words || texts[index].includes(words));
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    count.textContent = shown + ' of ' + rows.length + ' findings shown';
  };
  text.addEventListener('input', apply);
  result.addEventListener('change', apply);
  apply();
})();`;

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:1400px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font-size:13px;fill:#1b1b1b}
figure{margin:0 0 1.5rem}figcaption{font-size:.85rem;color:#444}.muted{color:#555}.warn{font-weight:bold}
#findings td:nth-child(7){max-width:60ch}label{margin-right:1rem}`;

type Cell = string | number | undefined;

const rowHtml = (row: readonly Cell[], attributes = ''): string => `<tr${attributes ? ` ${attributes}` : ''}>${row.map((cell) => (typeof cell === 'number' ? `<td class="n">${cell.toLocaleString('en-US')}</td>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`;

/** A table a row at a time: its rows may be read from disk (the findings of a tenant). */
function* tableChunks<T>(headers: readonly string[], items: Iterable<T>, cells: (item: T) => readonly Cell[], attributes = '', rowAttributes?: (item: T) => string): Generator<string> {
  yield `<table${attributes}><thead><tr>${headers.map((header) => `<th scope="col">${esc(header)}</th>`).join('')}</tr></thead><tbody>`;
  for (const item of items) yield rowHtml(cells(item), rowAttributes?.(item));
  yield '</tbody></table>';
}

function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [...tableChunks(headers, rows, (row) => row)].join('');
}

function* filtered<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

const day = (value: string | Date | undefined): string => (value === undefined ? '' : (typeof value === 'string' ? value : value.toISOString()).slice(0, 10));
const money = (value: number, currency: string): string => `${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;

function programsSection(data: ExportSource): string {
  const rows = data.programs.map((program) => [program.id, program.name, program.phase, program.endOfSupport, program.esuEnd, program.daysToEndOfSupport, program.machines, program.counts.Failed, program.counts.PassedWithWarning, program.counts.Error]);
  const chartRows: ChartRow[] = data.programs.map((program) => ({ label: `${program.id} (${program.phase}, ${program.daysToEndOfSupport} days left)`, values: program.counts }));
  return `<section id="programs"><h2>ESU programs</h2>
${table(['Program', 'Name', 'Phase', 'End of support', 'ESU end', 'Days left to end of support', 'Machines', 'Failed', 'Warnings', 'Could not check'], rows)}
${barChart(CHART_IDS.programs, 'Findings per ESU program, by result', RESULT_SERIES, chartRows)}</section>`;
}

function* planSection(data: ExportSource): Generator<string> {
  const plan = data.plan;
  if (!plan) {
    const jobs = filtered(data.jobs, (job) => job.jobType === 'link-license' || job.jobType === 'create-license');
    yield `<section id="plan"><h2>License plan</h2><p>No license plan is stored (the tenant phase did not run or failed). The jobs that link and create licenses:</p>
`;
    yield* tableChunks(['Job', 'Title', 'Subscription', 'Resource group', 'Resource'], jobs, (job) => [job.jobType, job.title, job.subscriptionId, job.resourceGroup, job.resourceId.split('/').at(-1)]);
    yield '</section>';
    return;
  }
  const programs = plan.programs.map((program) => [program.programId, program.phase, program.machinesNeeding, program.machinesOnExisting, program.machinesOnProposed, program.machinesUnplanned, program.licensesToCreate, program.coresToCreate, program.licensesToShrink, program.licensesToRemove, program.coresToRemove, program.coresBilledNow, program.coresBilledAfter]);
  const chartRows = plan.programs.flatMap((program): ChartRow[] => [
    { label: `${program.programId} now`, values: { now: program.coresBilledNow }, note: `${program.coresBilledNow} cores billed per month now` },
    { label: `${program.programId} after`, values: { after: program.coresBilledAfter }, note: `${program.coresBilledAfter} cores after the plan` },
  ]);
  const moneyText = plan.money
    ? `<p>Money per month: <strong>${esc(money(plan.money.monthlyNow, plan.money.currency))}</strong> now, <strong>${esc(money(plan.money.monthlyAfter, plan.money.currency))}</strong> after the plan; back-billing once: ${esc(money(plan.money.backBilling, plan.money.currency))}.${plan.money.unpriced.length > 0 ? ` No price is set for ${esc(plan.money.unpriced.join(', '))}: those cores are not in the sums.` : ''}</p>`
    : '<p class="muted">Prices are not configured (ESU_PRICES): the plan counts cores and core-months only.</p>';
  const coreMonths = plan.coreMonths.map((line) => [line.programId, line.edition, line.coreType, line.coresNow, line.coresAfter, line.coresBackBilled, line.backBilledMonths, line.price === undefined ? '' : line.price]);
  const changes = plan.licenses.filter((row) => row.action !== 'keep').map((row) => [row.action, row.name, row.programId, row.edition, row.coreType, row.processors, row.processorsAfter, row.machinesPlanned, row.subscriptionId, row.resourceGroup, row.note]);
  yield `<section id="plan"><h2>License plan</h2>
<p>As of ${esc(day(plan.asOf))}${plan.complete ? '' : ' <span class="warn">(partial: a subscription or a license could not be read)</span>'}; ${plan.unplannedMachines} machine(s) could not be placed.</p>
${table(['Program', 'Phase', 'Machines needing a license', 'onto existing', 'onto new', 'not placed', 'Licenses to create', 'Cores to create', 'to shrink', 'to remove', 'Cores fewer', 'Cores billed now', 'Cores billed after'], programs)}
${barChart(CHART_IDS.plan, 'Cores billed per month: now and after the plan', CORE_SERIES, chartRows)}
${moneyText}
<h3>Core-months by license type</h3>
${table(['Program', 'Edition', 'Core type', 'Cores now', 'Cores after', 'Cores back-billed', 'Months back-billed', 'Price per core-month'], coreMonths)}
<h3>Licenses to change</h3>
${table(['Action', 'License', 'Program', 'Edition', 'Core type', 'Cores now', 'Cores after', 'Machines to link', 'Subscription', 'Resource group', 'Note'], changes)}</section>`;
}

/** Non-passing findings per rule, most first. */
export function failingRules(findings: readonly ExportFinding[]): FailingRule[] {
  const tally = new RuleTally();
  for (const finding of findings) tally.add(finding);
  return tally.result();
}

function rulesSection(data: ExportSource): string {
  const rules = data.rules;
  const charted = rules.slice(0, RULES_CHARTED).map((rule): ChartRow => ({ label: rule.ruleId.replace(/^ESU\./, ''), values: rule.counts }));
  return `<section id="rules"><h2>Failing rules</h2>
${barChart(CHART_IDS.rules, `Non-passing findings per rule${rules.length > RULES_CHARTED ? ` (the ${RULES_CHARTED} with most; all in the table)` : ''}`, RESULT_SERIES, charted)}
${table(['Rule', 'Title', 'Failed', 'Warnings', 'Could not check'], rules.map((rule) => [rule.ruleId, rule.title, rule.counts['Failed'] ?? 0, rule.counts['PassedWithWarning'] ?? 0, rule.counts['Error'] ?? 0]))}</section>`;
}

/** Machines per agent version, and the advisories that affect it. */
export function agentsByVersion(machines: readonly MachineRow[]): AgentVersion[] {
  const tally = new AgentTally();
  for (const machine of machines) tally.add(machine);
  return tally.result();
}

function agentsSection(data: ExportSource): string {
  const versions = data.agents;
  const chartRows = versions.map((entry): ChartRow => {
    const advisories = entry.advisories ? entry.advisories.split(', ').length : 0;
    return {
      label: entry.version,
      values: advisories > 0 ? { affected: entry.machines } : { clear: entry.machines },
      note: `${entry.machines} machine(s), ${advisories > 0 ? `affected by ${advisories} advisor${advisories === 1 ? 'y' : 'ies'}` : 'no advisory known'}`,
    };
  });
  return `<section id="agents"><h2>Connected Machine agents</h2>
${barChart(CHART_IDS.agents, 'Machines per agent version, and whether a published advisory affects it', AGENT_SERIES, chartRows)}
${table(['Agent version', 'Machines', 'Advisories'], versions.map((entry) => [entry.version, entry.machines, entry.advisories || 'none known']))}</section>`;
}

function* findingsSection(data: ExportSource): Generator<string> {
  const results = CHECK_RESULTS.filter((result) => result !== 'Passed');
  const options = ['<option value="">every result</option>', ...results.map((result) => `<option value="${esc(result)}">${esc(result)}</option>`)].join('');
  yield `<section id="findings-section"><h2>Findings</h2>
<p><label>Filter <input id="filter-text" type="search" placeholder="machine, rule, group, message…"></label>
<label>Result <select id="filter-result">${options}</select></label> <span id="filter-count" aria-live="polite">${data.findingCount} findings</span></p>
`;
  yield* tableChunks(['Result', 'Severity', 'Rule', 'Subscription', 'Resource group', 'Resource', 'Message', 'First seen'], data.findings,
    (finding) => [finding.result, finding.severity, finding.ruleId, finding.subscriptionId, finding.resourceGroup, finding.resourceName, finding.message, day(finding.firstSeen)],
    ' id="findings"', (finding) => `data-result="${esc(finding.result)}"`);
  yield '</section>';
}

/** The report a piece at a time, in order: each finding's row is made as it is read. */
export function* htmlChunks(data: ExportSource): Generator<string> {
  const scriptHash = createHash('sha256').update(FILTER_SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; base-uri 'none'; form-action 'none'`;
  const notRead = data.reads.length > 0
    ? `<p class="warn">Subscriptions not (fully) read:</p>${table(['Subscription', 'Status', 'Why'], data.reads.map((read) => [read.subscriptionId, read.status, read.reasons.join(' ')]))}`
    : '';
  const source = data.source === 'scan' ? 'the scan just run' : 'the stored results of the last scan (machines with a non-passing finding only; jobs still in the outbox only)';
  yield `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ESU scan ${esc(data.scanId)}</title><style>${STYLE}</style></head>
<body><header><h1>Arc ESU scan report</h1>
<p>Scan <code>${esc(data.scanId)}</code>, started ${esc(data.startedAt.toISOString())}, evaluated as of ${esc(day(data.evaluatedAsOf))}; from ${esc(source)}.
${data.subscriptionsScanned} of ${data.subscriptionsRequested} subscription(s) scanned; ${data.machineCount} machine(s); ${data.findingCount} non-passing finding(s).</p>
${notRead}</header>
<main>${programsSection(data)}
`;
  yield* planSection(data);
  yield `
${rulesSection(data)}
${agentsSection(data)}
`;
  yield* findingsSection(data);
  yield `</main>
<script>${FILTER_SCRIPT}</script></body></html>
`;
}

/** The whole report as one text (data in memory: a scan just run, a test's). */
export function renderHtml(data: ExportData): string {
  return [...htmlChunks(sourceOf(data))].join('');
}

/** Writes the report to `file` as it is made, waiting for the file to take each batch: memory bounded by a batch, not the report. */
export async function writeHtml(data: ExportSource, file: string): Promise<void> {
  const output = createWriteStream(file);
  const finished = new Promise<void>((resolve, reject) => { output.on('finish', resolve); output.on('error', reject); });
  // A write error ends the wait for room too (it is thrown where `finished` is awaited).
  finished.catch(() => undefined);
  let batch = '';
  try {
    for (const chunk of htmlChunks(data)) {
      batch += chunk;
      if (batch.length < HTML_BATCH) continue;
      const room = output.write(batch);
      batch = '';
      if (!room) await Promise.race([new Promise<void>((resolve) => output.once('drain', () => resolve())), finished]);
    }
  } catch (error) {
    output.destroy();
    throw error;
  }
  output.end(batch);
  await finished;
}

const HTML_BATCH = 1 << 16;
