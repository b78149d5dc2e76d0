/**
 * What one subscription scan and one run send to Log Analytics, gathered as the scan goes (a ScanObserver) and
 * sent through a TelemetrySink: rule counts at the end, alert transitions (and snapshot rows, when asked) in
 * batches as they come so that memory stays bounded, the heartbeat and the license plan when the run ends.
 * Units are named after the scan and what they carry, the same on a rerun (the sink's ledger skips what it had).
 * A batch's unit names its rows' ids: a rerun that decides other transitions sends them as a new unit, while
 * the same batch again is skipped.
 */
import { hash } from 'node:crypto';
import type { Finding } from '../domain/findings.js';
import { planOverview, type LicensePlan } from '../domain/licensePlan.js';
import type { RemediationMessage } from '../alerts/message.js';
import { findingSnapshotRecords, heartbeatRecord, licensePlanRecords, RuleCounter, transitionRecords, type RunHeartbeat } from './records.js';
import type { TelemetryKind, TelemetryRecord } from './streams.js';
import { addUploads, NOTHING_SENT, type TelemetrySink, type TelemetryUpload } from './telemetrySink.js';

/** The observer hooks used here (the same shape as shared/scan's ScanObserver). */
export interface FindingObserver {
  onFindings?(findings: readonly Finding[]): void;
  onMessages?(messages: readonly RemediationMessage[]): void;
}

export interface SubscriptionTelemetryOptions {
  /** ESU_LOGS_FINDINGS_SNAPSHOT: also send every non-passing finding. */
  readonly findingsSnapshot: boolean;
  /** Rows kept before a batch is sent (default 5,000). */
  readonly batchRows?: number;
}

export class SubscriptionTelemetry implements FindingObserver {
  private readonly counter = new RuleCounter();
  private readonly buffers: Record<'alertTransitions' | 'findings', TelemetryRecord[]> = { alertTransitions: [], findings: [] };
  private readonly sending: Promise<TelemetryUpload>[] = [];

  constructor(private readonly sink: TelemetrySink, private readonly scan: { scanId: string; subscriptionId: string }, private readonly options: SubscriptionTelemetryOptions) {}

  /**
   * Another observer (the progress display, the CLI's report) that this one also hears: every hook of `other` is
   * called on `other` itself (a class instance keeps its methods and state), and findings and messages come here too.
   */
  along<T extends FindingObserver>(other: T | undefined): T {
    const hooks: FindingObserver = {
      onFindings: (findings) => {
        other?.onFindings?.call(other, findings);
        this.onFindings(findings);
      },
      onMessages: (messages) => {
        other?.onMessages?.call(other, messages);
        this.onMessages(messages);
      },
    };
    return new Proxy((other ?? {}) as T, {
      get(target, property) {
        if (property === 'onFindings' || property === 'onMessages') return hooks[property];
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  onFindings(findings: readonly Finding[]): void {
    this.counter.add(findings);
    if (this.options.findingsSnapshot) this.buffer('findings', findingSnapshotRecords(findings));
  }

  onMessages(messages: readonly RemediationMessage[]): void {
    this.buffer('alertTransitions', transitionRecords(messages));
  }

  /** Sends what is left and the rule counts; never throws. */
  async finish(finishedAt: string): Promise<TelemetryUpload> {
    for (const kind of ['alertTransitions', 'findings'] as const) this.flush(kind);
    const counts = this.sink.send(`${this.scan.scanId}/${this.scan.subscriptionId.toLowerCase()}/ruleCounts`, { ruleCounts: this.counter.records({ ...this.scan, finishedAt }) });
    const uploads = await Promise.all([...this.sending, counts]);
    return uploads.reduce(addUploads, NOTHING_SENT);
  }

  private buffer(kind: 'alertTransitions' | 'findings', rows: readonly TelemetryRecord[]): void {
    this.buffers[kind].push(...rows);
    if (this.buffers[kind].length >= (this.options.batchRows ?? 5_000)) this.flush(kind);
  }

  private flush(kind: 'alertTransitions' | 'findings'): void {
    const rows = this.buffers[kind].splice(0);
    if (rows.length === 0) return;
    const ids = hash('sha256', rows.map((row) => String(row['RecordId'])).join(','), 'buffer').toString('hex', 0, 16);
    const unit = `${this.scan.scanId}/${this.scan.subscriptionId.toLowerCase()}/${kind}/${ids}`;
    this.sending.push(this.sink.send(unit, { [kind]: rows } as Partial<Record<TelemetryKind, TelemetryRecord[]>>));
  }
}

/** The run's `started` heartbeat, sent when it fans out. */
export function sendRunStarted(sink: TelemetrySink, run: { scanId: string; startedAt: string; subscriptionsRequested: number }): Promise<TelemetryUpload> {
  return sink.send(`${run.scanId}/run-started`, { heartbeat: [heartbeatRecord({ ...run, event: 'started' })] });
}

/** The run's `finished` heartbeat and its license plan, sent by whoever finishes the run. */
export function sendRunFinished(sink: TelemetrySink, run: Omit<Extract<RunHeartbeat, { event: 'finished' }>, 'event'>, plan: LicensePlan | undefined): Promise<TelemetryUpload> {
  return sink.send(`${run.scanId}/run-finished`, {
    heartbeat: [heartbeatRecord({ ...run, event: 'finished' })],
    ...(plan ? licensePlanRecords(planOverview(run.scanId, plan)) : {}),
  });
}
