/**
 * The scanner as the benchmark runs it: its own process, so its peak memory is measured alone.
 * Input: one JSON argument (endpoints and settings). Output: one JSON line of figures.
 */
import type { AccessToken } from '@azure/core-auth';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { PUBLIC_ARM_AUDIENCE } from '../shared/adapters/arm/armReader.js';
import { createDependencies } from '../shared/runtime/dependencies.js';
import { runScan } from '../shared/scan/runScan.js';

export interface ScannerInput {
  readonly armEndpoint: string;
  readonly armCa: string;
  readonly storageConnectionString: string;
  readonly serviceBusConnectionString: string;
  readonly concurrency: number;
  /** `--as-of`: the time rules evaluate at (ISO); absent, now. */
  readonly asOf?: string;
  /** `ESU_PARALLEL_READ_MACHINES` for the scanner, when set. */
  readonly parallelReadMachines?: string;
}

export interface ScannerOutput {
  readonly scanId: string;
  readonly wallMs: number;
  readonly phasesMs: Record<string, number>;
  readonly machines: number;
  readonly subscriptions: number;
  readonly findings: number;
  readonly nonPassingFindings: number;
  readonly rowsWritten: number;
  readonly rowsDeleted: number;
  readonly tableTransactions: number;
  readonly messagesDecided: number;
  readonly messagesPublished: number;
  readonly messagesPending: number;
  readonly throttledSeen: number;
  /** The most parallel chains one subscription's machines were read in (1: every subscription as one list). */
  readonly machineReadChains: number;
  readonly failures: readonly { subscriptionId: string; error: string }[];
  readonly peakRssMb: number;
  /** Peaks of the V8 heap in use and of memory outside it (buffers), sampled every 100 ms: what the RSS holds. */
  readonly peakHeapUsedMb: number;
  readonly peakExternalMb: number;
  /** The most heap in use just after a full collection: the scan's live set at its largest. */
  readonly peakHeapLiveMb: number;
  /** The live heap's peak in each phase of the run. */
  readonly phaseHeapLiveMb?: Record<string, number>;
  /** CPU time the scanner process used (user + system), to see what the machine's cores went to. */
  readonly cpuMs: number;
  /** The license plan: time to compute it, machines it placed (or could not), licenses it proposes. */
  readonly planMs?: number;
  readonly planMachines?: number;
  readonly planMachinesUnplaced?: number;
  readonly planLicensesProposed?: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as ScannerInput;
  const peaks = { heapUsed: 0, external: 0, live: 0 };
  // Heap in use just after each full collection: what the scan really keeps, garbage aside.
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) peaks.live = Math.max(peaks.live, process.memoryUsage().heapUsed);
    }
  });
  collections.observe({ entryTypes: ['gc'] });
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peaks.heapUsed = Math.max(peaks.heapUsed, usage.heapUsed);
    peaks.external = Math.max(peaks.external, usage.external);
  }, 100);
  sampler.unref();
  const started = performance.now();
  const deps = await createDependencies(
    { ESU_ARM_ENDPOINT: input.armEndpoint, ESU_SERVICEBUS: input.serviceBusConnectionString, ...(input.parallelReadMachines !== undefined ? { ESU_PARALLEL_READ_MACHINES: input.parallelReadMachines } : {}) },
    {
      armCredential: { getToken: async (): Promise<AccessToken> => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }) },
      armTrustedCa: input.armCa,
      armTokenAudience: PUBLIC_ARM_AUDIENCE,
      storage: { kind: 'connectionString', connectionString: input.storageConnectionString },
    },
  );
  const phasesMs: Record<string, number> = { setup: performance.now() - started };
  // The live heap's peak per phase (subscriptions, tenant): where the scan's memory goes.
  const phaseLiveMb: Record<string, number> = {};
  const onPhase = (phase: string, ms: number): void => {
    phasesMs[phase] = ms;
    phaseLiveMb[phase] = Math.round(peaks.live / 2 ** 20);
    peaks.live = 0;
  };
  const result = await runScan(deps, { concurrency: input.concurrency, onPhase, ...(input.asOf ? { asOf: new Date(input.asOf) } : {}) });
  const wallMs = performance.now() - started;
  await deps.close();
  const counts = result.run.counts;
  const output: ScannerOutput = {
    scanId: result.run.scanId,
    wallMs: Math.round(wallMs),
    phasesMs: Object.fromEntries(Object.entries(phasesMs).map(([k, v]) => [k, Math.round(v)])),
    machines: result.run.machines,
    subscriptions: result.run.subscriptionsScanned,
    findings: counts.Passed + counts.PassedWithWarning + counts.Failed + counts.Error,
    nonPassingFindings: counts.PassedWithWarning + counts.Failed + counts.Error,
    rowsWritten: deps.findings.metrics.rowsWritten,
    rowsDeleted: deps.findings.metrics.rowsDeleted,
    tableTransactions: deps.findings.metrics.transactions,
    messagesDecided: result.run.messages ?? 0,
    messagesPublished: result.subscriptions.reduce((sum, s) => sum + s.messagesPublished, 0) + (result.tenant ? result.tenant.messages - result.tenant.messagesPending : 0),
    messagesPending: result.pendingMessages,
    throttledSeen: deps.arm.metrics.throttled,
    machineReadChains: result.subscriptions.reduce((most, s) => Math.max(most, s.machineReadChains ?? 1), 1),
    failures: result.failures,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapUsedMb: Math.round(peaks.heapUsed / 2 ** 20),
    peakExternalMb: Math.round(peaks.external / 2 ** 20),
    peakHeapLiveMb: Math.max(Math.round(peaks.live / 2 ** 20), ...Object.values(phaseLiveMb)),
    phaseHeapLiveMb: phaseLiveMb,
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    ...(result.tenant ? {
      planMs: Math.round(result.tenant.planMs),
      planMachines: result.tenant.plan.assignments.length,
      planMachinesUnplaced: result.tenant.plan.unplanned.length,
      planLicensesProposed: result.tenant.plan.licenses.filter((row) => row.proposed).length,
    } : {}),
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
