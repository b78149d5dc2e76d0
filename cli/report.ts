import type { Finding, RemediationJob } from '../shared/domain/findings.js';
import type { RemediationMessage } from '../shared/alerts/message.js';
import type { ScanRunResult } from '../shared/scan/runScan.js';
import type { ScanObserver } from '../shared/scan/scanSubscription.js';
import { countFindings, emptyCounts, type ResultCounts } from '../shared/scan/summary.js';

export interface ScanReport {
  readonly scanId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: {
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
    readonly failures: ScanRunResult['failures'];
  };
  readonly findings: readonly Finding[];
  readonly jobs: readonly RemediationJob[];
  readonly messages: readonly RemediationMessage[];
}

/** Collects what a run produces, for the JSON report (the CLI's estates are small enough to hold). */
export class ReportCollector implements ScanObserver {
  readonly findings: Finding[] = [];
  readonly jobs: RemediationJob[] = [];
  readonly messages: RemediationMessage[] = [];

  onFindings(findings: readonly Finding[]): void {
    this.findings.push(...findings);
  }

  onJobs(jobs: readonly RemediationJob[]): void {
    this.jobs.push(...jobs);
  }

  onMessages(messages: readonly RemediationMessage[]): void {
    this.messages.push(...messages);
  }

  build(result: ScanRunResult): ScanReport {
    const byRule: Record<string, ResultCounts> = {};
    for (const finding of this.findings) {
      countFindings([finding], (byRule[finding.ruleId] ??= emptyCounts()));
    }
    const sortedFindings = [...this.findings].sort(
      (a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.ruleId.localeCompare(b.ruleId) || a.resourceId.localeCompare(b.resourceId),
    );
    return {
      scanId: result.run.scanId,
      startedAt: result.run.startedAt,
      finishedAt: result.run.finishedAt ?? new Date().toISOString(),
      summary: {
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
        failures: result.failures,
      },
      findings: sortedFindings,
      jobs: [...this.jobs].sort((a, b) => a.jobId.localeCompare(b.jobId)),
      messages: [...this.messages].sort((a, b) => a.messageId.localeCompare(b.messageId)),
    };
  }
}
