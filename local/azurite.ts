import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export type AzuriteService = 'table' | 'queue';

export interface AzuriteOptions {
  readonly service: AzuriteService;
  /** Folder for persisted data; omitted = in memory only. */
  readonly location?: string;
  readonly startTimeoutMs?: number;
  /** Extra flags for the emulator's Node process (the benchmark passes `--cpu-prof` to profile it). */
  readonly nodeFlags?: readonly string[];
}

export interface RunningAzurite {
  readonly service: AzuriteService;
  readonly port: number;
  /** Connection string for the development account on this port. */
  readonly connectionString: string;
  /** The emulator's process id (the benchmark reads the CPU time it used). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** The well-known Azurite development account (public, documented; not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts the Azurite emulator (npm package `azurite`) as a child process on a free loopback port.
 * Used by the CLI's local mode and by the tests; never in Azure.
 */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  // The free port is probed, then handed to Azurite: with test files running in parallel another process may take
  // it in between, so a start that fails on a taken port tries a new one.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startAzuriteOnce(options, await freePort());
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(error))) throw error;
    }
  }
}

async function startAzuriteOnce(options: AzuriteOptions, port: number): Promise<RunningAzurite> {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('azurite/package.json'));
  const script = join(packageRoot, 'dist', 'src', options.service, 'main.js');
  const args = [
    script,
    `--${options.service}Host`, '127.0.0.1',
    `--${options.service}Port`, String(port),
    '--disableTelemetry',
    '--silent',
    '--skipApiVersionCheck',
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
  ];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  await waitForStart(child, options.startTimeoutMs ?? 30_000);
  reportUnexpectedExit(child);
  const endpointKey = options.service === 'table' ? 'TableEndpoint' : 'QueueEndpoint';
  return {
    service: options.service,
    port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};${endpointKey}=http://127.0.0.1:${port}/${DEV_ACCOUNT};`,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

function waitForStart(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${timeoutMs} ms: ${output.trim()}`)), timeoutMs);
    const onData = (data: Buffer): void => {
      output += data.toString();
      if (/successfully started/i.test(output)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null): void => fail(new Error(`Azurite exited (${code}) before it started: ${output.trim()}`));
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining so a full pipe never blocks the emulator.
      child.stdout?.resume();
      child.stderr?.resume();
    }
    function fail(error: Error): void {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

const stopping = new WeakSet<ChildProcess>();

/**
 * An emulator that dies under a run (out of memory with hundreds of thousands of rows, killed) otherwise shows
 * only as `connect ECONNREFUSED` in whatever called it next: say that it exited, how, and its last words.
 */
function reportUnexpectedExit(child: ChildProcess): void {
  let tail = '';
  const keep = (data: Buffer): void => {
    tail = (tail + data.toString()).slice(-2_000);
  };
  child.stderr?.on('data', keep);
  child.stdout?.on('data', keep);
  child.once('exit', (code, signal) => {
    if (stopping.has(child)) return;
    process.stderr.write(`Azurite (process ${child.pid}) exited unexpectedly (${signal ?? `exit code ${code}`})${tail.trim() ? `: ${tail.trim()}` : ''}\n`);
  });
}

/** SIGINT lets Azurite close its database (flushing persisted data); SIGKILL if it hangs. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
