import type { Finding, RemediationJob } from '../shared/domain/findings.js';
import { planOverview, type PlanOverview } from '../shared/domain/licensePlan.js';
import type { RemediationMessage } from '../shared/alerts/message.js';
import type { ScanRunResult } from '../shared/scan/runScan.js';
import type { ScanObserver } from '../shared/scan/findingSink.js';
import { countFindings, emptyCounts, type ResultCounts } from '../shared/domain/scanSummary.js';
import type { MachineSubject } from '../shared/rules/context.js';
import { daysUntilEndOfSupport, phaseOf, type ProgramCatalogue, type ProgramPhase } from '../shared/programs/program.js';

/** One ESU program at the evaluation date: its calendar, the machines that run its OS, its findings. */
export interface ProgramSummary {
  readonly id: string;
  readonly name: string;
  readonly phase: ProgramPhase;
  readonly endOfSupport: string;
  readonly esuEnd: string;
  readonly daysToEndOfSupport: number;
  readonly machines: number;
  /** Findings whose evidence names this program. */
  readonly counts: ResultCounts;
}

export interface SubscriptionRead {
  readonly subscriptionId: string;
  readonly status: 'read' | 'partly read' | 'could not read' | 'scan failed';
  /** The Access findings that say why (empty when read). */
  readonly reasons: readonly string[];
}

const LIST_COUNT = 3; // machines, licenses, providers

export interface ScanReport {
  readonly scanId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: {
    /** The time every rule evaluated at (`--as-of`, or when the scan started). */
    readonly evaluatedAsOf: string;
    readonly programs: readonly ProgramSummary[];
    readonly subscriptionsRequested: number;
    readonly subscriptionsScanned: number;
    readonly machines: number;
    readonly machinesInScope: number;
    readonly licenses: number;
    readonly counts: ResultCounts;
    readonly byRule: Readonly<Record<string, ResultCounts>>;
    readonly jobs: number;
    /** Messages decided by this run (only findings that opened, changed, resolved or are due a reminder). */
    readonly messages: number;
    readonly messagesPending: number;
    /** Why Service Bus did not take messages, once per distinct reason. */
    readonly publishErrors?: readonly string[];
    readonly failures: ScanRunResult['failures'];
    /** Per subscription: whether its lists were read (`could not read` also when every list failed). */
    readonly reads: readonly SubscriptionRead[];
  };
  /** The tenant license plan (its per-machine places are the ESU.Machine.LicensePlan findings); absent when the tenant phase failed. */
  readonly plan?: PlanOverview;
  readonly findings: readonly Finding[];
  readonly jobs: readonly RemediationJob[];
  readonly messages: readonly RemediationMessage[];
}

/** Collects what a run produces, for the JSON report (the CLI's estates are small enough to hold). */
export class ReportCollector implements ScanObserver {
  readonly findings: Finding[] = [];
  readonly jobs: RemediationJob[] = [];
  readonly messages: RemediationMessage[] = [];
  private readonly machinesByProgram = new Map<string, number>();

  onMachine(machine: MachineSubject): void {
    if (machine.programId) this.machinesByProgram.set(machine.programId, (this.machinesByProgram.get(machine.programId) ?? 0) + 1);
  }

  onFindings(findings: readonly Finding[]): void {
    this.findings.push(...findings);
  }

  onJobs(jobs: readonly RemediationJob[]): void {
    this.jobs.push(...jobs);
  }

  onMessages(messages: readonly RemediationMessage[]): void {
    this.messages.push(...messages);
  }

  private reads(result: ScanRunResult): SubscriptionRead[] {
    const reads: SubscriptionRead[] = result.subscriptions.map((scanned) => {
      const unread = scanned.unreadLists ?? [];
      if (unread.length === 0) return { subscriptionId: scanned.subscriptionId, status: 'read', reasons: [] };
      const reasons = this.findings
        .filter((f) => f.subscriptionId === scanned.subscriptionId && f.ruleId === 'ESU.Subscription.Access' && f.result === 'Error')
        .map((f) => f.message);
      return { subscriptionId: scanned.subscriptionId, status: unread.includes('subscription') || unread.length >= LIST_COUNT ? 'could not read' : 'partly read', reasons };
    });
    for (const failure of result.failures) {
      if (!failure.subscriptionId.startsWith('(')) reads.push({ subscriptionId: failure.subscriptionId, status: 'scan failed', reasons: [failure.error] });
    }
    return reads.sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
  }

  build(result: ScanRunResult, calendar: { readonly evaluatedAsOf: Date; readonly programs: ProgramCatalogue }): ScanReport {
    const byRule: Record<string, ResultCounts> = {};
    const byProgram: Record<string, ResultCounts> = {};
    for (const finding of this.findings) {
      countFindings([finding], (byRule[finding.ruleId] ??= emptyCounts()));
      const program = finding.evidence['program'];
      if (typeof program === 'string') countFindings([finding], (byProgram[program] ??= emptyCounts()));
    }
    const programs = calendar.programs.map((program): ProgramSummary => ({
      id: program.id,
      name: program.name,
      phase: phaseOf(program, calendar.evaluatedAsOf),
      endOfSupport: program.endOfSupport,
      esuEnd: program.esuEnd,
      daysToEndOfSupport: daysUntilEndOfSupport(program, calendar.evaluatedAsOf),
      machines: this.machinesByProgram.get(program.id) ?? 0,
      counts: byProgram[program.id] ?? emptyCounts(),
    }));
    const sortedFindings = [...this.findings].sort(
      (a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.ruleId.localeCompare(b.ruleId) || a.resourceId.localeCompare(b.resourceId),
    );
    return {
      scanId: result.run.scanId,
      startedAt: result.run.startedAt,
      finishedAt: result.run.finishedAt ?? new Date().toISOString(),
      summary: {
        evaluatedAsOf: calendar.evaluatedAsOf.toISOString(),
        programs,
        subscriptionsRequested: result.run.subscriptionsRequested,
        subscriptionsScanned: result.run.subscriptionsScanned,
        machines: result.run.machines,
        machinesInScope: result.subscriptions.reduce((sum, s) => sum + s.machinesInScope, 0),
        licenses: result.subscriptions.reduce((sum, s) => sum + s.licenses, 0),
        counts: result.run.counts,
        byRule,
        jobs: result.run.jobs,
        messages: this.messages.length,
        messagesPending: result.pendingMessages,
        ...publishErrorsOf(result),
        failures: result.failures,
        reads: this.reads(result),
      },
      ...(result.tenant ? { plan: planOverview(result.run.scanId, result.tenant.plan) } : {}),
      findings: sortedFindings,
      jobs: [...this.jobs].sort((a, b) => a.jobId.localeCompare(b.jobId)),
      messages: [...this.messages].sort((a, b) => a.messageId.localeCompare(b.messageId)),
    };
  }
}

function publishErrorsOf(result: ScanRunResult): { publishErrors?: readonly string[] } {
  const errors = [...new Set(result.subscriptions.flatMap((subscription) => subscription.publishError ?? []))];
  return errors.length > 0 ? { publishErrors: errors } : {};
}
