/**
 * The process behind `startCliSession` (cliSession.ts): runs one `esu-scan` command line after another through
 * the CLI's `main`, as bin/esu-scan.js does, each with its own environment additions, and reports each run's exit
 * code, stdout and stderr on file descriptor 3, one JSON line per run. Commands arrive on stdin, one JSON line each.
 */
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { main } from '../../cli/main.js';

interface Command {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | null>>;
}

const results = createWriteStream('', { fd: 3 });
const printed = { stdout: '', stderr: '' };
for (const stream of ['stdout', 'stderr'] as const) {
  process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    printed[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    rest.find((value): value is () => void => typeof value === 'function')?.();
    return true;
  }) as typeof process.stdout.write;
}

for await (const line of createInterface({ input: process.stdin })) {
  const { args, env } = JSON.parse(line) as Command;
  const saved = Object.entries(env).map(([name]) => [name, process.env[name]] as const);
  for (const [name, value] of Object.entries(env)) {
    if (value === null) delete process.env[name];
    else process.env[name] = value;
  }
  printed.stdout = '';
  printed.stderr = '';
  process.exitCode = undefined;
  let code: number;
  try {
    code = await main(['node', 'esu-scan', ...args]);
  } catch (error) {
    printed.stderr += String(error);
    code = 1;
  }
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  results.write(`${JSON.stringify({ code, ...printed })}\n`);
}
process.exitCode = 0;
