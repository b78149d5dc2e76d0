/**
 * What the writers read: the export's figures, plus its findings, jobs and machines as lists read one item at a
 * time (each may be read more than once). From a scan just run they are the report's arrays; from the stored
 * results they are sorted on disk (`SpilledSort`), so a tenant's export holds its figures, not its findings.
 */
import type { Dependencies } from '../../shared/runtime/dependencies.js';
import { countFindings, emptyCounts, type ResultCounts } from '../../shared/domain/scanSummary.js';
import { daysUntilEndOfSupport, phaseOf } from '../../shared/programs/program.js';
import type { ProgramSummary } from '../report.js';
import { machineAccumulator, MACHINE_TYPE, machineRowOf, type ExportData, type ExportFinding, type ExportJob, type MachineParts, type MachineRow, type UnreadSubscription } from './exportData.js';
import { SpilledSort } from './spilledSort.js';

/** Non-passing findings of one rule, by result. */
export interface FailingRule {
  readonly ruleId: string;
  readonly title: string;
  readonly counts: Record<string, number>;
}

/** Machines of one agent version, and the advisories that affect it. */
export interface AgentVersion {
  readonly version: string;
  machines: number;
  advisories: string;
}

export interface ExportSource extends Omit<ExportData, 'findings' | 'jobs' | 'machines'> {
  /** Non-passing findings, in the report's order. */
  readonly findings: Iterable<ExportFinding>;
  readonly findingCount: number;
  readonly jobs: Iterable<ExportJob>;
  readonly jobCount: number;
  readonly machines: Iterable<MachineRow>;
  readonly machineCount: number;
  /** Non-passing findings per rule, most first. */
  readonly rules: readonly FailingRule[];
  /** Machines per agent version, in version order. */
  readonly agents: readonly AgentVersion[];
}

/** Non-passing findings per rule, counted one finding at a time. */
export class RuleTally {
  private readonly rules = new Map<string, FailingRule>();

  add(finding: ExportFinding): void {
    if (finding.result === 'Passed') return;
    let rule = this.rules.get(finding.ruleId);
    if (!rule) this.rules.set(finding.ruleId, (rule = { ruleId: finding.ruleId, title: finding.ruleTitle, counts: {} }));
    rule.counts[finding.result] = (rule.counts[finding.result] ?? 0) + 1;
  }

  result(): FailingRule[] {
    const total = (counts: Record<string, number>): number => Object.values(counts).reduce((sum, value) => sum + value, 0);
    return [...this.rules.values()].sort((a, b) => total(b.counts) - total(a.counts) || a.ruleId.localeCompare(b.ruleId));
  }
}

/** Machines per agent version; an entry's advisories are those of its first machine (in the machines' order) that has any. */
export class AgentTally {
  private readonly versions = new Map<string, AgentVersion>();

  add(machine: MachineRow): void {
    const version = machine.agentVersion ?? 'not reported';
    let entry = this.versions.get(version);
    if (!entry) this.versions.set(version, (entry = { version, machines: 0, advisories: '' }));
    entry.machines += 1;
    if (machine.advisories && !entry.advisories) entry.advisories = machine.advisories;
  }

  result(): AgentVersion[] {
    return [...this.versions.values()].sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
  }
}

/** The source of data already in memory (a scan just run, or a test's). */
export function sourceOf(data: ExportData): ExportSource {
  const rules = new RuleTally();
  for (const finding of data.findings) rules.add(finding);
  const agents = new AgentTally();
  for (const machine of data.machines) agents.add(machine);
  return { ...data, findingCount: data.findings.length, jobCount: data.jobs.length, machineCount: data.machines.length, rules: rules.result(), agents: agents.result() };
}

const byFinding = (a: ExportFinding, b: ExportFinding): number => a.subscriptionId.localeCompare(b.subscriptionId) || a.ruleId.localeCompare(b.ruleId) || a.resourceId.localeCompare(b.resourceId);

/** A machine's share of one finding: its key, the finding's place in the findings' order, and the evidence a machine row reads. */
interface MachinePiece {
  readonly key: string;
  readonly order: number;
  readonly finding: MachineParts['first'];
  readonly open: boolean;
  readonly evidence: MachineParts['evidence'];
}

/** A machine row as written to disk (dates as ISO text) and the place of its first finding (the order of equal rows). */
interface StoredMachine {
  readonly row: Omit<MachineRow, 'lastStatusChange' | 'lastPatchAssessment'> & { lastStatusChange?: string; lastPatchAssessment?: string };
  readonly order: number;
}

const byMachine = (a: StoredMachine, b: StoredMachine): number =>
  a.row.subscriptionId.localeCompare(b.row.subscriptionId) || a.row.resourceGroup.localeCompare(b.row.resourceGroup) || a.row.name.localeCompare(b.row.name) || a.order - b.order;

function machineOnDisk(row: MachineRow, order: number): StoredMachine {
  const { lastStatusChange, lastPatchAssessment, ...rest } = row;
  return { row: { ...rest, ...(lastStatusChange ? { lastStatusChange: lastStatusChange.toISOString() } : {}), ...(lastPatchAssessment ? { lastPatchAssessment: lastPatchAssessment.toISOString() } : {}) }, order };
}

function machineFromDisk({ row }: StoredMachine): MachineRow {
  const { lastStatusChange, lastPatchAssessment, ...rest } = row;
  return { ...rest, ...(lastStatusChange ? { lastStatusChange: new Date(lastStatusChange) } : {}), ...(lastPatchAssessment ? { lastPatchAssessment: new Date(lastPatchAssessment) } : {}) };
}

/** Yields each item of a sorted list with the same key once: the last one added. */
function* lastOfEachKey<T>(items: Iterable<T>, key: (item: T) => string): Generator<T> {
  let previous: T | undefined;
  for (const item of items) {
    if (previous !== undefined && key(previous) !== key(item)) yield previous;
    previous = item;
  }
  if (previous !== undefined) yield previous;
}

function* mapped<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

/** A list that can be read more than once. */
const reusable = <T>(read: () => Iterator<T>): Iterable<T> => ({ [Symbol.iterator]: read });

/**
 * The stored results of the last scan, read a page at a time: findings (non-passing only are stored), the plan,
 * the run row, the outbox's jobs. `dir`: an empty folder for the sorted lists, removed by the caller after writing.
 * Undefined before the first scan.
 */
export async function loadStoredSource(deps: Pick<Dependencies, 'findings' | 'plans' | 'runs' | 'outbox' | 'settings'>, dir: string, options: { readonly runSize?: number } = {}): Promise<ExportSource | undefined> {
  const [storedRun, plan] = await Promise.all([deps.runs.latestRun(), deps.plans.load()]);
  const run = storedRun ?? {};
  const findings = new SpilledSort<ExportFinding>(byFinding, dir, 'findings', options.runSize);
  const rules = new RuleTally();
  let rowsRead = 0;
  let evaluatedAt: string | undefined;
  for await (const page of deps.findings.pages()) {
    for (const row of page) {
      rowsRead += 1;
      if (row.evaluatedAt && (evaluatedAt === undefined || row.evaluatedAt > evaluatedAt)) evaluatedAt = row.evaluatedAt;
      if (row.result === 'Passed') continue;
      const finding: ExportFinding = { ...row, ...(row.alertOpenedAt ? { firstSeen: row.alertOpenedAt } : {}) };
      findings.add(finding);
      rules.add(finding);
    }
  }
  if (!storedRun && !plan && rowsRead === 0) return undefined;

  // In the findings' order: the subscriptions not read, and each machine's share of its findings.
  const pieces = new SpilledSort<MachinePiece>((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.order - b.order), dir, 'machine-pieces', options.runSize);
  const reads = new Map<string, string[]>();
  const programCounts = new Map<string, ResultCounts>();
  let firstScanId: string | undefined;
  let order = 0;
  for (const finding of findings) {
    firstScanId ??= finding.scanId;
    if (finding.ruleId === 'ESU.Subscription.Access' && finding.result === 'Error') reads.set(finding.subscriptionId, [...(reads.get(finding.subscriptionId) ?? []), finding.message]);
    const program = finding.evidence['program'];
    if (typeof program === 'string') {
      const counts = programCounts.get(program) ?? emptyCounts();
      programCounts.set(program, countFindings([finding], counts));
    }
    if (finding.resourceType.toLowerCase() === MACHINE_TYPE) {
      const { subscriptionId, resourceGroup, resourceName, resourceId } = finding;
      pieces.add({ key: resourceId.toLowerCase(), order, finding: { subscriptionId, resourceGroup, resourceName, resourceId }, open: finding.result !== 'Passed', evidence: machineAccumulator.evidenceOf(finding.evidence) });
    }
    order += 1;
  }

  // Each machine's pieces are next to each other: merged into its row, then sorted as the report lists machines.
  const machinesOnDisk = new SpilledSort<StoredMachine>(byMachine, dir, 'machines', options.runSize);
  let current: { key: string; order: number; parts: MachineParts } | undefined;
  const flush = (): void => { if (current) machinesOnDisk.add(machineOnDisk(machineRowOf(current.parts), current.order)); };
  for (const piece of pieces) {
    if (current?.key !== piece.key) {
      flush();
      current = { key: piece.key, order: piece.order, parts: { first: piece.finding, evidence: {}, open: 0 } };
    }
    machineAccumulator.merge(current.parts, piece.evidence, piece.open);
  }
  flush();
  const machines = reusable(() => mapped(machinesOnDisk, machineFromDisk)[Symbol.iterator]());
  const agents = new AgentTally();
  const machinesPerProgram = new Map<string, number>();
  for (const machine of machines) {
    agents.add(machine);
    if (machine.programId) machinesPerProgram.set(machine.programId, (machinesPerProgram.get(machine.programId) ?? 0) + 1);
  }

  // Jobs by id; a job in two messages is listed once, as the last one read says.
  const jobsOnDisk = new SpilledSort<ExportJob>((a, b) => a.jobId.localeCompare(b.jobId), dir, 'jobs', options.runSize);
  for await (const { message } of deps.outbox.list()) {
    if (!message.job) continue;
    const { finding } = message;
    jobsOnDisk.add({ jobId: message.job.jobId, jobType: message.jobType, ruleId: finding.ruleId, severity: finding.severity, subscriptionId: finding.subscriptionId, resourceGroup: finding.resourceGroup, resourceId: finding.resourceId, title: message.job.title, commands: message.job.commands });
  }
  const jobs = reusable(() => lastOfEachKey(jobsOnDisk, (job) => job.jobId)[Symbol.iterator]());
  let jobCount = 0;
  for (const job of jobs) if (job) jobCount += 1;

  const text = (key: string): string | undefined => (typeof run[key] === 'string' ? run[key] : undefined);
  const startedAt = new Date(text('startedAt') ?? evaluatedAt ?? plan?.asOf ?? Date.now());
  const evaluatedAsOf = new Date(evaluatedAt ?? plan?.asOf ?? startedAt);
  const finishedAt = text('finishedAt');
  const programs = deps.settings.programs.map((program): ProgramSummary => ({
    id: program.id,
    name: program.name,
    phase: phaseOf(program, evaluatedAsOf),
    endOfSupport: program.endOfSupport,
    esuEnd: program.esuEnd,
    daysToEndOfSupport: daysUntilEndOfSupport(program, evaluatedAsOf),
    machines: machinesPerProgram.get(program.id) ?? 0,
    counts: programCounts.get(program.id) ?? emptyCounts(),
  }));
  return {
    scanId: text('scanId') ?? plan?.scanId ?? firstScanId ?? '',
    startedAt,
    ...(finishedAt ? { finishedAt: new Date(finishedAt) } : {}),
    evaluatedAsOf,
    source: 'stored',
    programs,
    subscriptionsRequested: Number(run['subscriptionsRequested'] ?? 0),
    subscriptionsScanned: Number(run['subscriptionsScanned'] ?? 0),
    reads: [...reads].map(([subscriptionId, reasons]): UnreadSubscription => ({ subscriptionId, status: 'not fully read', reasons })),
    ...(plan ? { plan } : {}),
    findings,
    findingCount: findings.size,
    jobs,
    jobCount,
    machines,
    machineCount: machinesOnDisk.size,
    rules: rules.result(),
    agents: agents.result(),
  };
}
