/**
 * Log Analytics ingestion volume, estimated from measured row sizes: builds the telemetry rows of a real scan
 * report (`esu-scan scan --report`), measures their JSON bytes per table, and scales them to an estate size.
 *
 *   node dist/scripts/telemetryVolume.js <report.json> [--machines 100000] [--subscriptions 500] [--reminder-days 7]
 *
 * Per-machine rows (alert transitions, snapshot findings, plan licenses) scale with machines; rule counts
 * with subscriptions; heartbeats are two per run. Steady-state transitions: each open alert gets a reminder
 * every reminder-days, so a day carries open alerts / reminder-days (changes and resolutions come on top).
 * JSON bytes are an upper bound of what Log Analytics bills (it bills the stored column values).
 */
import { readFileSync } from 'node:fs';
import type { Finding } from '../shared/domain/findings.js';
import type { PlanOverview } from '../shared/domain/licensePlan.js';
import type { RemediationMessage } from '../shared/alerts/message.js';
import { findingSnapshotRecords, heartbeatRecord, licensePlanRecords, ruleCountRecords, transitionRecords } from '../shared/telemetry/records.js';
import type { TelemetryRecord } from '../shared/telemetry/streams.js';

interface Report {
  readonly scanId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: { readonly machines: number; readonly subscriptionsRequested: number };
  readonly plan?: PlanOverview;
  readonly findings: readonly Finding[];
  readonly messages: readonly RemediationMessage[];
}

function option(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const bytesOf = (rows: readonly TelemetryRecord[]): number => rows.reduce((sum, row) => sum + Buffer.byteLength(JSON.stringify(row)), 0);

export interface TableVolume { table: string; sampleRows: number; bytesPerRow: number; rowsPerDay: number; gbPerDay: number }

export function estimate(report: Report, machines: number, subscriptions: number, reminderDays: number): { tables: TableVolume[]; firstDay: Record<'default' | 'snapshot', number>; steadyDay: Record<'default' | 'snapshot', number> } {
  const machineScale = machines / Math.max(1, report.summary.machines);
  const bySubscription = new Map<string, Finding[]>();
  for (const finding of report.findings) bySubscription.set(finding.subscriptionId, [...(bySubscription.get(finding.subscriptionId) ?? []), finding]);
  const ruleCounts = [...bySubscription].flatMap(([subscriptionId, findings]) => ruleCountRecords({ scanId: report.scanId, subscriptionId, finishedAt: report.finishedAt }, findings));
  const transitions = transitionRecords(report.messages);
  const plan = report.plan ? licensePlanRecords(report.plan) : { licensePlan: [], coreMonths: [], programs: [] };
  const heartbeat = [
    heartbeatRecord({ scanId: report.scanId, event: 'started', startedAt: report.startedAt, subscriptionsRequested: subscriptions }),
    heartbeatRecord({ scanId: report.scanId, event: 'finished', startedAt: report.startedAt, finishedAt: report.finishedAt, subscriptionsRequested: subscriptions, subscriptionsRead: subscriptions, subscriptionsPartlyRead: 0, subscriptionsNotRead: 0, machines, recordsNotSent: 0 }),
  ];
  const snapshot = findingSnapshotRecords(report.findings);
  const openAlerts = report.messages.filter((m) => m.transition !== 'resolved').length * machineScale;
  const perDay = (rows: readonly TelemetryRecord[], table: string, rowsPerDay: number): TableVolume => {
    const bytesPerRow = rows.length ? bytesOf(rows) / rows.length : 0;
    return { table, sampleRows: rows.length, bytesPerRow: Math.round(bytesPerRow), rowsPerDay: Math.round(rowsPerDay), gbPerDay: (bytesPerRow * rowsPerDay) / 1e9 };
  };
  const tables = [
    perDay(ruleCounts, 'EsuRuleCounts_CL', (ruleCounts.length / Math.max(1, bySubscription.size)) * subscriptions),
    perDay(transitions, 'EsuAlertTransitions_CL (first run)', transitions.length * machineScale),
    perDay(transitions, 'EsuAlertTransitions_CL (steady day)', openAlerts / reminderDays),
    perDay(plan.licensePlan, 'EsuLicensePlan_CL', plan.licensePlan.length * machineScale),
    perDay(plan.coreMonths, 'EsuCoreMonths_CL', plan.coreMonths.length),
    perDay(plan.programs, 'EsuPrograms_CL', plan.programs.length),
    perDay(heartbeat, 'EsuScanHeartbeat_CL', 2),
    perDay(snapshot, 'EsuFindings_CL (snapshot mode)', snapshot.length * machineScale),
  ];
  const sum = (names: readonly string[]): number => tables.filter((t) => names.includes(t.table)).reduce((total, t) => total + t.gbPerDay, 0);
  const common = ['EsuRuleCounts_CL', 'EsuLicensePlan_CL', 'EsuCoreMonths_CL', 'EsuPrograms_CL', 'EsuScanHeartbeat_CL'];
  const first = [...common, 'EsuAlertTransitions_CL (first run)'];
  const steady = [...common, 'EsuAlertTransitions_CL (steady day)'];
  const withSnapshot = 'EsuFindings_CL (snapshot mode)';
  return {
    tables,
    firstDay: { default: sum(first), snapshot: sum([...first, withSnapshot]) },
    steadyDay: { default: sum(steady), snapshot: sum([...steady, withSnapshot]) },
  };
}

function main(args: readonly string[]): void {
  const file = args.find((arg) => !arg.startsWith('--') && !/^\d+$/.test(arg));
  if (!file) throw new Error('usage: node dist/scripts/telemetryVolume.js <report.json> [--machines N] [--subscriptions N] [--reminder-days N]');
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const machines = option(args, '--machines', 100_000);
  const subscriptions = option(args, '--subscriptions', 500);
  const reminderDays = option(args, '--reminder-days', 7);
  const result = estimate(report, machines, subscriptions, reminderDays);
  console.log(`Measured on ${report.summary.machines} machines, ${report.findings.length} findings, ${report.messages.length} transitions; scaled to ${machines} machines in ${subscriptions} subscriptions, one run a day.`);
  console.log('table | sample rows | bytes/row | rows/day | GB/day');
  for (const t of result.tables) console.log(`${t.table} | ${t.sampleRows} | ${t.bytesPerRow} | ${t.rowsPerDay} | ${t.gbPerDay.toFixed(4)}`);
  const gb = (value: number): string => value.toFixed(3);
  console.log(`default mode: first day ${gb(result.firstDay.default)} GB, then ${gb(result.steadyDay.default)} GB/day`);
  console.log(`snapshot mode (ESU_LOGS_FINDINGS_SNAPSHOT=true): first day ${gb(result.firstDay.snapshot)} GB, then ${gb(result.steadyDay.snapshot)} GB/day`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
