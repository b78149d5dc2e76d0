import { CHECK_RESULTS } from '../shared/domain/findings.js';
import { formatRows } from './format.js';
import { formatDay } from '../shared/programs/program.js';
import type { ProgramSummary, ScanReport, SubscriptionRead } from './report.js';
import { terminalSafe } from './terminalText.js';
import { planLines } from './planView.js';

function programLine(program: ProgramSummary): string {
  const when = program.phase === 'ended'
    ? `ESU ended ${formatDay(program.esuEnd)}`
    : program.phase === 'active'
      ? `ESU active until ${formatDay(program.esuEnd)}`
      : `upcoming: end of support ${formatDay(program.endOfSupport)}, ${program.daysToEndOfSupport} days left`;
  return `  ${program.id.padEnd(7)}${program.name.padEnd(31)}${when.padEnd(56)}machines ${String(program.machines).padStart(5)}   ${CHECK_RESULTS.map((r) => `${r} ${program.counts[r]}`).join(', ')}`;
}

/** The human summary of a scan: totals, a line per rule, then the failed findings. */
export function renderSummary(report: ScanReport, environment: string, maxFailures = 25): string {
  const s = report.summary;
  const lines = [
    `arc-esu-scanner: scan ${report.scanId}`,
    environment,
    '',
    `Subscriptions: ${s.subscriptionsScanned}/${s.subscriptionsRequested} scanned (${readCounts(s.reads)})   Machines: ${s.machines} (${s.machinesInScope} in ESU scope)   Licenses: ${s.licenses}`,
    `Evaluated as of ${s.evaluatedAsOf}   ESU programs:`,
    ...s.programs.filter((program) => program.machines > 0 || CHECK_RESULTS.some((r) => program.counts[r] > 0)).map(programLine),
    ...(report.plan ? ['License plan (esu-scan plan):', ...planLines(report.plan)] : []),
    `Findings: ${CHECK_RESULTS.map((r) => `${r} ${s.counts[r]}`).join(', ')}   Jobs: ${s.jobs}   Messages: ${s.messages} new${s.messagesPending > 0 ? `, ${s.messagesPending} waiting in the outbox` : ''}`,
    '',
    formatRows(
      Object.entries(s.byRule).sort(([a], [b]) => a.localeCompare(b)),
      [
        { header: 'Rule', value: ([ruleId]) => ruleId },
        ...CHECK_RESULTS.map((result) => ({ header: result, value: ([, counts]: [string, Record<string, number>]) => counts[result] ?? 0 })),
      ],
      'table',
    ),
  ];
  const failed = report.findings.filter((f) => f.result === 'Failed' || f.result === 'Error');
  if (failed.length > 0) {
    lines.push('', `Failed and Error findings (${failed.length}${failed.length > maxFailures ? `, first ${maxFailures}` : ''}):`);
    lines.push(formatRows(failed.slice(0, maxFailures), [
      { header: 'Result', value: (f) => f.result },
      { header: 'Rule', value: (f) => f.ruleId },
      { header: 'Resource', value: (f) => f.resourceName, width: 28 },
      { header: 'Message', value: (f) => f.message, width: 100 },
    ], 'table'));
  }
  const unread = s.reads.filter((read) => read.status !== 'read');
  if (unread.length > 0) {
    lines.push('', 'Subscriptions not fully read:');
    for (const read of unread) lines.push(`  ${read.subscriptionId}  ${read.status}${read.reasons[0] ? `: ${read.reasons[0]}` : ''}`);
  }
  for (const error of s.publishErrors ?? []) lines.push(error);
  for (const failure of s.failures) lines.push(`Scan of ${failure.subscriptionId} did not finish: ${failure.error}`);
  return terminalSafe(lines.join('\n'));
}

function readCounts(reads: readonly SubscriptionRead[]): string {
  const counts = new Map<string, number>();
  for (const read of reads) counts.set(read.status, (counts.get(read.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ') || 'none';
}
