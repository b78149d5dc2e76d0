/**
 * The whole pipeline at tenant scale, measured: synthetic ARM stand-in (its own process) → scanner (its
 * own process: rules, Table Storage, Service Bus) → Azurite (its own process) → AMQP peer (here).
 *   npm run bench -- --subscriptions 500 --machines 100000 [--latency 50] [--page-size 100]
 *                    [--concurrency 16] [--seed 1] [--faults 0.01] [--as-of YYYY-MM-DD]
 *                    [--parallel-read-machines N] [--ws2016] [--rescan] [--flaky-storage] [--json]
 * --export: after the first scan, `esu-scan export --xlsx --html` of its stored results, in a process of its own (time, peak RSS).
 * --export-heap MB: that process runs with `--max-old-space-size=MB` (what the export needs, not what V8 lets it take).
 * --ws2016: every Windows machine runs Windows Server 2016, every license is a 2016 one (the license plan at scale).
 * --flaky-storage: the first scan's Table requests go through a proxy that answers 15 % of them 503, 3 % 500
 * and drops 3 % of connections (seeded); the rescan goes straight to Azurite.
 * Prints one line of figures (or one JSON object with --json). See README "Scale and figures".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { TableClient } from '@azure/data-tables';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityAction, type TransactionEntity } from '../shared/adapters/tables/entityTransaction.js';
import { chunk } from '../shared/adapters/tables/tableKeys.js';
import { startAmqpPeer } from '../local/amqpPeer.js';
import type { ArmStandInOptions, ArmStandInStats } from '../local/armStandIn.js';
import { startAzurite } from '../local/azurite.js';
import { startTableFaultProxy } from '../local/tableFaultProxy.js';
import { SyntheticEstate } from '../local/syntheticEstate.js';
import { RESOURCE_NAMES } from '../shared/config/resourceNames.js';
import { ARM_READ_BUDGET } from '../shared/adapters/arm/armThrottle.js';
import { expectedTotals } from './expected.js';
import type { ScannerInput, ScannerOutput } from './scanner.js';
import type { ExporterInput, ExporterOutput } from './exporter.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    subscriptions: { type: 'string', default: '20' },
    machines: { type: 'string', default: '4000' },
    latency: { type: 'string', default: '50' },
    'page-size': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string', default: '1' },
    faults: { type: 'string', default: '0' },
    rescan: { type: 'boolean', default: false },
    'flaky-storage': { type: 'boolean', default: false },
    'as-of': { type: 'string' },
    ws2016: { type: 'boolean', default: false },
    export: { type: 'boolean', default: false },
    'export-heap': { type: 'string' },
    'parallel-read-machines': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const subscriptions = Number(values.subscriptions);
const machinesTotal = Number(values.machines);
const latencyMs = Number(values.latency);
const pageSize = Number(values['page-size']);
const concurrency = Number(values.concurrency);
const seed = Number(values.seed);
const machinesPerSubscription = Math.ceil(machinesTotal / subscriptions);
// --as-of: the synthetic tenant is generated relative to that day and the rules evaluate at it (as `esu-scan scan --as-of`).
const asOf = values['as-of'] === undefined ? undefined : new Date(`${values['as-of']}T00:00:00Z`);
if (asOf && Number.isNaN(asOf.getTime())) throw new Error('--as-of must be a date YYYY-MM-DD');

/** Starts the stand-in process and returns its endpoint, CA and a way to stop it and read its stats. */
async function startStandIn(options: ArmStandInOptions): Promise<{ endpoint: string; ca: string; stop: () => Promise<ArmStandInStats & { cpuMs: number }> }> {
  const child = spawn(process.execPath, [join(here, '..', 'local', 'armStandInProcess.js'), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the ARM stand-in process ended before it listened');
  const { endpoint, ca } = JSON.parse(first.value) as { endpoint: string; ca: string };
  return {
    endpoint,
    ca,
    stop: async () => {
      child.stdin.write('stats\n');
      const line = await lines.next();
      return JSON.parse(line.value as string) as ArmStandInStats & { cpuMs: number };
    },
  };
}

async function runScanner(input: ScannerInput): Promise<ScannerOutput> {
  const child = spawn(process.execPath, [...(process.env['BENCH_SCANNER_FLAGS']?.split(' ').filter(Boolean) ?? []), ...(process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`] : []), join(here, 'scanner.js'), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the scanner exited with ${code}`);
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ScannerOutput;
}

/** The exporter in its own process: its peak RSS is the export's alone. */
async function runExporter(input: ExporterInput): Promise<ExporterOutput> {
  const heap = values['export-heap'] === undefined ? [] : [`--max-old-space-size=${Number(values['export-heap'])}`];
  const child = spawn(process.execPath, [...heap, join(here, 'exporter.js'), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the exporter exited with ${code}`);
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ExporterOutput;
}

/**
 * Azurite's own 100-entity-transaction throughput for exactly the rows the scan stored: the same keys, columns
 * and partitions, written again into a table of their own, 100 rows of one partition per transaction, with the
 * scanner's concurrency. (Keys matter: Azurite keeps every table sorted by PartitionKey and by RowKey, and
 * compares keys on every insert, so short made-up keys flatter it.)
 */
async function measureTableThroughput(connectionString: string, partitions: ReadonlyMap<string, TransactionEntity[]>): Promise<number> {
  const table = TableClient.fromConnectionString(connectionString, 'benchcalibration', { allowInsecureConnection: true });
  await table.createTable();
  const transactions = [...partitions.values()].flatMap((rows) => chunk(rows, TRANSACTION_LIMIT))
    .map((rows) => rows.map((row): EntityAction => ['upsert', row, 'Replace']));
  const rows = transactions.reduce((sum, transaction) => sum + transaction.length, 0);
  if (rows === 0) throw new Error('no finding rows to calibrate with');
  const started = performance.now();
  const limit = pLimit(concurrency);
  await Promise.all(transactions.map((transaction) => limit(() => submitEntityTransaction(table, transaction))));
  const seconds = (performance.now() - started) / 1000;
  await table.deleteTable();
  return rows / seconds;
}

/**
 * CPU time (user + system) another process has used so far, from /proc (Linux); undefined elsewhere.
 * /proc reports clock ticks of USER_HZ, which Linux fixes at 100 per second for user space.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    // After "pid (comm) ", field 14 (utime) and 15 (stime) of proc(5) are at index 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Every finding row as stored (service metadata left out), by partition in the table's order. */
async function readStoredRows(connectionString: string): Promise<Map<string, TransactionEntity[]>> {
  const table = TableClient.fromConnectionString(connectionString, RESOURCE_NAMES.findingsTable, { allowInsecureConnection: true });
  const partitions = new Map<string, TransactionEntity[]>();
  for await (const entity of table.listEntities<Record<string, unknown>>()) {
    const { etag: _etag, timestamp: _timestamp, ...columns } = entity;
    const row = columns as TransactionEntity;
    const rows = partitions.get(row.partitionKey) ?? [];
    rows.push(row);
    partitions.set(row.partitionKey, rows);
  }
  return partitions;
}

async function main(): Promise<void> {
  const referenceTime = asOf?.toISOString();
  const synthetic = { subscriptions, machinesPerSubscription, seed, ...(referenceTime ? { referenceTime } : {}), ...(values.ws2016 ? { windowsServer2016: true } : {}) };
  const estate = new SyntheticEstate(synthetic);
  const standInOptions: ArmStandInOptions = {
    synthetic,
    pageSize,
    latencyMs,
    throttle: ARM_READ_BUDGET,
    ...(Number(values.faults) > 0 ? { faults: { error503Rate: Number(values.faults), seed } } : {}),
  };

  // BENCH_PROFILE_DIR: CPU profiles of the scanner (the scan) and of Azurite (the whole benchmark) go there.
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  // Azurite keeps every table in its own heap: the 500 x 200 all-WS2016 tenant (about 500,000 rows with their
  // messages, and each subscription's ledger) outgrew Node's default 4 GB and Azurite died of it. The emulator's
  // limit, not the scanner's: up to half the machine's memory, at most 8 GB.
  const azuriteHeapMb = Math.min(8_192, Math.floor(totalmem() / 2 ** 21));
  const azurite = await startAzurite({ service: 'table', nodeFlags: [`--max-old-space-size=${azuriteHeapMb}`, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])] });
  const peer = await startAmqpPeer({ retainMessages: false });
  const tableEndpoint = /TableEndpoint=(http:\/\/[^/;]+)/i.exec(azurite.connectionString)?.[1] ?? '';
  const proxy = values['flaky-storage'] ? await startTableFaultProxy({ target: tableEndpoint, seed }) : undefined;
  try {
    const expected = expectedTotals(estate, asOf);

    const scanOnce = async (storageConnectionString = azurite.connectionString) => {
      const standIn = await startStandIn(standInOptions);
      const messagesBefore = peer.receivedCount;
      const bytesBefore = peer.receivedBytes;
      const azuriteCpuBefore = processCpuMs(azurite.pid);
      const ownCpuBefore = process.cpuUsage();
      const scanner = await runScanner({
        armEndpoint: standIn.endpoint,
        armCa: standIn.ca,
        storageConnectionString,
        serviceBusConnectionString: peer.connectionString,
        concurrency,
        ...(referenceTime ? { asOf: referenceTime } : {}),
        ...(values['parallel-read-machines'] !== undefined ? { parallelReadMachines: values['parallel-read-machines'] } : {}),
      });
      const ownCpu = process.cpuUsage(ownCpuBefore);
      const azuriteCpuAfter = processCpuMs(azurite.pid);
      const arm = await standIn.stop();
      // Where the machine's cores went during the scan: the pipeline's processes share them.
      const cpuMs = {
        scanner: scanner.cpuMs,
        azurite: azuriteCpuBefore !== undefined && azuriteCpuAfter !== undefined ? azuriteCpuAfter - azuriteCpuBefore : null,
        armStandIn: arm.cpuMs,
        // This process: it hosts the AMQP peer and otherwise only waits.
        amqpPeer: Math.round((ownCpu.user + ownCpu.system) / 1000),
      };
      return { scanner, arm, cpuMs, messagesSent: peer.receivedCount - messagesBefore, messageBytesSent: peer.receivedBytes - bytesBefore };
    };

    const first = await scanOnce(proxy ? proxy.connectionStringFor(azurite.connectionString) : undefined);
    const storageFaults = proxy ? { ...proxy.stats } : undefined;
    await proxy?.close();
    const stored = await readStoredRows(azurite.connectionString);
    const findingsStored = [...stored.values()].reduce((sum, rows) => sum + rows.length, 0);
    const findingPartitions = stored.size;
    const entitiesPerPartitionMax = [...stored.values()].reduce((largest, rows) => Math.max(largest, rows.length), 0);
    const throughput = await measureTableThroughput(azurite.connectionString, stored);
    const exportDir = values.export ? mkdtempSync(join(tmpdir(), 'esu-bench-export-')) : undefined;
    const exported = exportDir ? await runExporter({ storageConnectionString: azurite.connectionString, outDir: exportDir }).finally(() => rmSync(exportDir, { recursive: true, force: true })) : undefined;
    stored.clear();
    const rescan = values.rescan ? await scanOnce() : undefined;

    // The fewest requests the pages allow: the subscription list, and per subscription its lists.
    const pagesOf = (items: number) => Math.max(1, Math.ceil(items / pageSize));
    let armRequestsMinimum = pagesOf(subscriptions);
    // Patch evidence: each subscription scan queries Resource Graph for itself, as in Azure (1,000 rows a page):
    // its assessments, and its guest configuration assignments (the synthetic tenant has none: one empty page).
    for (const [k] of estate.subscriptionIds.entries()) armRequestsMinimum += Math.max(1, Math.ceil(estate.patchAssessmentRowCount(k) / 1000)) + 1;
    let longestChain = 0;
    let busiest = 0;
    for (const subscriptionId of estate.subscriptionIds) {
      const machinePages = pagesOf(estate.machineCount(subscriptionId));
      // + 1: the policy assignments list (the synthetic tenant has none: one empty page).
      const perSubscription = pagesOf(estate.providersBody(subscriptionId).value.length) + pagesOf(estate.licenses(subscriptionId).length) + machinePages + 1;
      armRequestsMinimum += perSubscription;
      longestChain = Math.max(longestChain, machinePages);
      busiest = Math.max(busiest, perSubscription);
    }
    const chainMs = longestChain * latencyMs;
    const throttleMs = (Math.max(0, busiest - ARM_READ_BUDGET.burst) / ARM_READ_BUDGET.refillPerSecond) * 1000;
    const storageMs = ((first.scanner.rowsWritten + first.scanner.rowsDeleted) / throughput) * 1000;
    const bounds = { chain: chainMs, throttle: throttleMs, storage: storageMs };
    const lowerBoundMs = Math.round(Math.max(chainMs, throttleMs, storageMs));
    // The bound that binds: the largest of the three (the pages' sequential chain, ARM's read budget, storage).
    const bindingBound = Object.entries(bounds).reduce((largest, entry) => (entry[1] > largest[1] ? entry : largest))[0];
    const rowsTouched = first.scanner.rowsWritten + first.scanner.rowsDeleted;
    const messageIds = [...peer.receivedIds.values()];

    const figures = {
      machines: first.scanner.machines,
      subscriptions: first.scanner.subscriptions,
      armRequests: first.arm.requests,
      armRequestsMinimum,
      throttled: first.arm.throttled,
      faults503: first.arm.faults503,
      machineReadChains: first.scanner.machineReadChains,
      wallMs: first.scanner.wallMs,
      phasesMs: first.scanner.phasesMs,
      lowerBoundMs,
      lowerBoundParts: { chainMs, throttleMs: Math.round(throttleMs), storageMs: Math.round(storageMs), tableEntitiesPerSecond: Math.round(throughput) },
      bindingBound,
      wallToLowerBound: Number((first.scanner.wallMs / Math.max(1, lowerBoundMs)).toFixed(2)),
      machinesPerSecond: Math.round(first.scanner.machines / (first.scanner.wallMs / 1000)),
      peakRssMb: first.scanner.peakRssMb,
      peakHeapUsedMb: first.scanner.peakHeapUsedMb,
      peakExternalMb: first.scanner.peakExternalMb,
      peakHeapLiveMb: first.scanner.peakHeapLiveMb,
      phaseHeapLiveMb: first.scanner.phaseHeapLiveMb,
      cpuMs: first.cpuMs,
      cores: availableParallelism(),
      rowsWritten: first.scanner.rowsWritten,
      findingPartitions,
      entitiesPerPartitionMax,
      azuriteCpuUsPerRow: first.cpuMs.azurite !== null && rowsTouched > 0 ? Math.round((first.cpuMs.azurite * 1000) / rowsTouched) : null,
      tableTransactions: first.scanner.tableTransactions,
      messagesSent: first.messagesSent,
      messageBytesSent: first.messageBytesSent,
      duplicateMessageIds: messageIds.filter((n) => n > 1).length,
      findingsExpected: expected.rows,
      findingsStored,
      findingsEvaluated: first.scanner.findings,
      findingsEvaluatedExpected: expected.findings,
      failures: first.scanner.failures.length,
      ...(first.scanner.planMs !== undefined ? {
        planMs: first.scanner.planMs,
        planMachines: first.scanner.planMachines,
        planMachinesUnplaced: first.scanner.planMachinesUnplaced,
        planLicensesProposed: first.scanner.planLicensesProposed,
      } : {}),
      ...(storageFaults ? { storageFaults } : {}),
      ...(exported ? {
        exportWallMs: exported.wallMs,
        exportLoadMs: exported.loadMs,
        exportToScan: Number((exported.wallMs / Math.max(1, first.scanner.wallMs)).toFixed(2)),
        exportPeakRssMb: exported.peakRssMb,
        exportFindings: exported.findings,
        exportMachines: exported.machines,
        exportXlsxMb: Number((exported.xlsxBytes / 2 ** 20).toFixed(1)),
        exportHtmlMb: Number((exported.htmlBytes / 2 ** 20).toFixed(1)),
        exportSortedMb: Number((exported.sortedBytes / 2 ** 20).toFixed(1)),
      } : {}),
      ...(rescan ? {
        rescanWallMs: rescan.scanner.wallMs,
        rescanArmRequests: rescan.arm.requests,
        rescanMachineReadChains: rescan.scanner.machineReadChains,
        rescanRowsWritten: rescan.scanner.rowsWritten + rescan.scanner.rowsDeleted,
        rescanMessagesSent: rescan.messagesSent,
        rescanMessageBytesSent: rescan.messageBytesSent,
        rescanPeakRssMb: rescan.scanner.peakRssMb,
        rescanPeakHeapUsedMb: rescan.scanner.peakHeapUsedMb,
        rescanPeakHeapLiveMb: rescan.scanner.peakHeapLiveMb,
        rescanPhaseHeapLiveMb: rescan.scanner.phaseHeapLiveMb,
      } : {}),
    };
    if (values.json) {
      console.log(JSON.stringify(figures));
    } else {
      const f = figures;
      console.log([
        `machines ${f.machines}`, `subscriptions ${f.subscriptions}`, `ARM requests ${f.armRequests} (minimum ${f.armRequestsMinimum})`, `429s ${f.throttled}`,
        `wall ${f.wallMs} ms (${Object.entries(f.phasesMs).map(([k, v]) => `${k} ${v}`).join(', ')})`, `lower bound ${f.lowerBoundMs} ms (x${f.wallToLowerBound}, ${f.bindingBound} binds)`,
        `${f.machinesPerSecond} machines/s`, `peak RSS ${f.peakRssMb} MB`,
        ...(f.planMs !== undefined ? [`license plan ${f.planMs} ms: ${f.planMachines} machines placed, ${f.planMachinesUnplaced} not, ${f.planLicensesProposed} licenses proposed`] : []),
        `CPU s on ${f.cores} cores: ${Object.entries(f.cpuMs).map(([k, v]) => `${k} ${v === null ? '?' : (v / 1000).toFixed(1)}`).join(', ')}`, `rows ${f.rowsWritten} in ${f.findingPartitions} partitions (max ${f.entitiesPerPartitionMax}, Azurite ${f.azuriteCpuUsPerRow ?? '?'} µs CPU/row)`, `transactions ${f.tableTransactions}`, `messages ${f.messagesSent} (${(f.messageBytesSent / 1e6).toFixed(1)} MB)`,
        `findings stored ${f.findingsStored}/${f.findingsExpected} expected`, `failures ${f.failures}`,
        ...(f.storageFaults ? [`storage faults: ${f.storageFaults.requests} requests, ${f.storageFaults.busy503} x 503, ${f.storageFaults.error500} x 500, ${f.storageFaults.droppedBefore + f.storageFaults.droppedAfter} dropped`] : []),
        ...(f.exportWallMs !== undefined ? [`export --xlsx --html ${f.exportWallMs} ms (x${f.exportToScan} the scan; reading ${f.exportLoadMs} ms), peak RSS ${f.exportPeakRssMb} MB, ${f.exportFindings} findings, ${f.exportMachines} machines, ${f.exportXlsxMb} MB xlsx, ${f.exportHtmlMb} MB html, ${f.exportSortedMb} MB sorted on disk`] : []),
        ...(rescan ? [`rescan: ${f.rescanWallMs} ms, ARM requests ${f.rescanArmRequests} in ${f.rescanMachineReadChains} chain(s), rows ${f.rescanRowsWritten}, messages ${f.rescanMessagesSent} (${((f.rescanMessageBytesSent ?? 0) / 1e6).toFixed(1)} MB), peak RSS ${f.rescanPeakRssMb} MB`] : []),
      ].join(' | '));
    }
  } finally {
    await peer.stop();
    await azurite.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});
