import type { ArmWait } from './armPorts.js';
import type { ScanObserver } from './findingSink.js';

export type ScanPhase = 'listing subscriptions' | 'scanning' | 'tenant license rules' | 'done';

/** A wait that announces itself to people: ARM throttled (429) or a read is retried. */
export type NoticeKind = 'throttled' | 'retry';

/** The waits of one kind since the last notices were taken, in one line's worth of facts. */
export interface WaitNotice {
  readonly kind: NoticeKind;
  readonly requests: number;
  /** The longest announced wait; absent when only the SDK's backoff decided. */
  readonly longestWaitMs?: number;
  /** Lower-case subscription ids (`undefined` = tenant-level reads), in order of first appearance. */
  readonly subscriptions: readonly (string | undefined)[];
  /** HTTP statuses and network error codes seen. */
  readonly causes: readonly string[];
}

export interface ProgressSnapshot {
  readonly phase: ScanPhase;
  readonly elapsedMs: number;
  readonly subscriptions: { readonly total?: number; readonly done: number; readonly running: number };
  readonly machines: number;
  /** Machines read per second since scanning began; absent in the first second (too few to mean anything). */
  readonly machinesPerSecond?: number;
  /** Estimated time left: see `estimateRemainingMs`. */
  readonly remainingMs?: number;
  readonly arm: {
    readonly throttled: number;
    /** Sum of the announced throttling waits (requests wait side by side, so this can exceed the wall time). */
    readonly throttledWaitMs: number;
    readonly retries: number;
    /** Sum of the waits for the client's own read budget, over all requests. */
    readonly budgetWaitMs: number;
    /** A wait going on now (the one that ends last), if any. */
    readonly waiting?: { readonly kind: ArmWait['kind']; readonly remainingMs?: number };
  };
}

/** A budget wait shorter than this is pacing, not something to show as "waiting". */
const NOTABLE_BUDGET_WAIT_MS = 1000;
/** A retry whose delay the SDK's backoff decides is shown as going on for about its first delay. */
const SDK_FIRST_RETRY_DELAY_MS = 1000;

/**
 * What a scan has done so far, fed by events (subscriptions started and finished, machines read, ARM waits)
 * and read as snapshots; no I/O, no timers: the clock is injected (milliseconds, e.g. `Date.now`).
 */
export class ScanProgress {
  private phaseNow: ScanPhase = 'listing subscriptions';
  private readonly startedAt: number;
  private scanningSince: number | undefined;
  private total: number | undefined;
  private readonly running = new Set<string>();
  private done = 0;
  private machines = 0;
  private readonly arm = { throttled: 0, throttledWaitMs: 0, retries: 0, budgetWaitMs: 0 };
  private readonly waitsUntil = new Map<ArmWait['kind'], { until: number; known: boolean }>();
  private pending = new Map<NoticeKind, { requests: number; longestWaitMs?: number; subscriptions: Set<string | undefined>; causes: Set<string> }>();

  constructor(readonly clock: () => number = Date.now) {
    this.startedAt = clock();
  }

  /** The subscriptions to scan are known: scanning begins. */
  planned(subscriptions: number): void {
    this.total = subscriptions;
    this.phaseNow = 'scanning';
    this.scanningSince = this.clock();
  }

  subscriptionStarted(subscriptionId: string): void {
    this.running.add(subscriptionId);
  }

  subscriptionFinished(subscriptionId: string): void {
    if (this.running.delete(subscriptionId)) this.done += 1;
  }

  machinesRead(count = 1): void {
    this.machines += count;
  }

  phase(phase: ScanPhase): void {
    this.phaseNow = phase;
  }

  /** A scan observer that counts the machines, passing everything on to `inner`. */
  observing(inner?: ScanObserver): ScanObserver {
    // Forwarded call by call: `inner` may be a class whose methods a spread would not copy.
    return {
      onMachine: (machine) => {
        this.machines += 1;
        inner?.onMachine?.(machine);
      },
      onFindings: (findings) => inner?.onFindings?.(findings),
      onJobs: (jobs) => inner?.onJobs?.(jobs),
      onMessages: (messages) => inner?.onMessages?.(messages),
    };
  }

  armWaited(wait: ArmWait): void {
    const now = this.clock();
    const waitMs = wait.waitMs;
    if (wait.kind === 'budget') {
      this.arm.budgetWaitMs += waitMs ?? 0;
      if ((waitMs ?? 0) >= NOTABLE_BUDGET_WAIT_MS) this.waitUntil('budget', now + (waitMs ?? 0), true);
      return;
    }
    if (wait.kind === 'throttled') {
      this.arm.throttled += 1;
      this.arm.throttledWaitMs += waitMs ?? 0;
    } else {
      this.arm.retries += 1;
    }
    this.waitUntil(wait.kind, now + (waitMs ?? SDK_FIRST_RETRY_DELAY_MS), waitMs !== undefined);
    let notice = this.pending.get(wait.kind);
    if (!notice) this.pending.set(wait.kind, (notice = { requests: 0, subscriptions: new Set(), causes: new Set() }));
    notice.requests += 1;
    if (waitMs !== undefined) notice.longestWaitMs = Math.max(notice.longestWaitMs ?? 0, waitMs);
    notice.subscriptions.add(wait.subscriptionId);
    const cause = wait.status !== undefined ? String(wait.status) : wait.code;
    if (cause) notice.causes.add(cause);
  }

  /** The throttling and retries since the last call, one notice per kind (throttling first). */
  takeNotices(): WaitNotice[] {
    const notices = (['throttled', 'retry'] as const).flatMap((kind): WaitNotice[] => {
      const notice = this.pending.get(kind);
      if (!notice) return [];
      return [{
        kind,
        requests: notice.requests,
        ...(notice.longestWaitMs !== undefined ? { longestWaitMs: notice.longestWaitMs } : {}),
        subscriptions: [...notice.subscriptions],
        causes: [...notice.causes],
      }];
    });
    this.pending = new Map();
    return notices;
  }

  snapshot(): ProgressSnapshot {
    const now = this.clock();
    const elapsedMs = now - this.startedAt;
    const scanningMs = now - (this.scanningSince ?? this.startedAt);
    const finished = this.phaseNow === 'done';
    const machinesPerSecond = scanningMs >= 1000 || (finished && scanningMs > 0) ? (this.machines * 1000) / scanningMs : undefined;
    const remainingMs = this.phaseNow === 'scanning' ? estimateRemainingMs(scanningMs, this.done, this.total) : undefined;
    const waiting = finished ? undefined : this.currentWait(now);
    return {
      phase: this.phaseNow,
      elapsedMs,
      subscriptions: { ...(this.total !== undefined ? { total: this.total } : {}), done: this.done, running: this.running.size },
      machines: this.machines,
      ...(machinesPerSecond !== undefined ? { machinesPerSecond } : {}),
      ...(remainingMs !== undefined ? { remainingMs } : {}),
      arm: { ...this.arm, ...(waiting ? { waiting } : {}) },
    };
  }

  private waitUntil(kind: ArmWait['kind'], until: number, known: boolean): void {
    const current = this.waitsUntil.get(kind);
    if (!current || until >= current.until) this.waitsUntil.set(kind, { until, known });
  }

  /** Throttling before retries before the budget: the first going on now is the one shown. */
  private currentWait(now: number): { kind: ArmWait['kind']; remainingMs?: number } | undefined {
    for (const kind of ['throttled', 'retry', 'budget'] as const) {
      const wait = this.waitsUntil.get(kind);
      if (wait && wait.until > now) return { kind, ...(wait.known ? { remainingMs: wait.until - now } : {}) };
    }
    return undefined;
  }
}

/**
 * Time left, from the subscriptions finished so far: they took `elapsed` between them, so the rest are
 * expected to take `elapsed × remaining / finished` (concurrent scans included, since the rate is measured
 * as a whole). Unknown until one subscription has finished, and once all have.
 */
export function estimateRemainingMs(elapsedMs: number, done: number, total: number | undefined): number | undefined {
  if (total === undefined || done <= 0 || done >= total) return undefined;
  return (elapsedMs * (total - done)) / done;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 0.4 s, 12 s, 4 min 05 s, 2 h 03 min. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  const minutes = Math.round(totalSeconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function formatRate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(1) : integer.format(perSecond);
}

export interface DescribeOptions {
  /** Leave out the subscriptions count (a Functions invocation scans one). */
  readonly subscriptions?: boolean;
}

/** One line of what the snapshot says, e.g. `scanning · subscriptions 2/4 done, 2 running · 1,234 machines (410/s) · 12 s elapsed · about 10 s left`. */
export function describeProgress(snapshot: ProgressSnapshot, options: DescribeOptions = {}): string {
  const parts: string[] = [snapshot.phase];
  const { total, done, running } = snapshot.subscriptions;
  if (options.subscriptions !== false && (total !== undefined || done > 0)) {
    const state = snapshot.phase === 'done' ? '' : ` done${running > 0 ? `, ${running} running` : ''}`;
    parts.push(`subscriptions ${done}/${total ?? '?'}${state}`);
  }
  const rate = snapshot.machinesPerSecond !== undefined ? ` (${formatRate(snapshot.machinesPerSecond)}/s)` : '';
  parts.push(`${integer.format(snapshot.machines)} machine${snapshot.machines === 1 ? '' : 's'} read${rate}`);
  parts.push(snapshot.phase === 'done' ? `took ${formatDuration(snapshot.elapsedMs)}` : `${formatDuration(snapshot.elapsedMs)} elapsed`);
  if (snapshot.remainingMs !== undefined) parts.push(`about ${formatDuration(snapshot.remainingMs)} left`);
  const arm = describeArm(snapshot);
  if (arm) parts.push(arm);
  return parts.join(' · ');
}

/** What ARM made the scan wait for; while nothing did, nothing (the final line says so). */
function describeArm(snapshot: ProgressSnapshot): string | undefined {
  const { throttled, throttledWaitMs, retries, budgetWaitMs, waiting } = snapshot.arm;
  const facts: string[] = [];
  if (throttled > 0) facts.push(`${throttled} throttled (429)${throttledWaitMs > 0 ? `, ${formatDuration(throttledWaitMs)} waited` : ''}`);
  if (retries > 0) facts.push(`${retries} retried`);
  if (budgetWaitMs >= NOTABLE_BUDGET_WAIT_MS) facts.push(`${formatDuration(budgetWaitMs)} paced to the read budget`);
  if (facts.length === 0 && !waiting && snapshot.phase !== 'done') return undefined;
  let text = facts.length > 0 ? `ARM: ${facts.join(', ')}` : 'ARM: no throttling or retries';
  if (waiting) {
    const left = waiting.remainingMs !== undefined ? `, ${formatDuration(waiting.remainingMs)} left` : '';
    text += ` · ${WAITING_TEXT[waiting.kind]}${left}`;
  }
  return text;
}

const WAITING_TEXT: Record<ArmWait['kind'], string> = {
  throttled: 'waiting on ARM throttling',
  retry: 'waiting to retry an ARM read',
  budget: 'waiting on the ARM read budget',
};

/** e.g. `waiting on ARM throttling: 3 requests answered 429 (subscription 1b2c…, 1 more); each waits up to 5.0 s (Retry-After) before it is retried`. */
export function describeNotice(notice: WaitNotice): string {
  const requests = `${notice.requests} request${notice.requests === 1 ? '' : 's'}`;
  const where = describeSubscriptions(notice.subscriptions);
  const causes = notice.causes.join('/');
  if (notice.kind === 'throttled') {
    const wait = notice.longestWaitMs !== undefined ? `; each waits up to ${formatDuration(notice.longestWaitMs)} before it is retried` : '';
    return `waiting on ARM throttling: ${requests} answered ${causes || '429'} (${where})${wait}`;
  }
  const answered = /^\d+$/.test(notice.causes[0] ?? '') ? `answered ${causes}` : `failed (${causes || 'network error'})`;
  const wait = notice.longestWaitMs !== undefined ? ` after up to ${formatDuration(notice.longestWaitMs)}` : ' after a backoff';
  return `retrying ARM reads: ${requests} ${answered} (${where}); retried${wait}`;
}

function describeSubscriptions(subscriptions: readonly (string | undefined)[]): string {
  const named = subscriptions.map((id) => (id === undefined ? 'tenant-level reads' : `subscription ${id}`));
  if (named.length <= 2) return named.join(', ');
  return `${named.slice(0, 2).join(', ')} and ${named.length - 2} more`;
}
