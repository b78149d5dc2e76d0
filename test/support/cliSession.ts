import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface CliOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** A run that exited non-zero, shaped as `execFile` rejects: its exit code and what it printed. */
export interface CliFailure extends CliOutput {
  readonly code: number;
}

export interface CliSession {
  /** Runs `esu-scan <args>`; rejects with a CliFailure when it exits non-zero, as `execFile` would. */
  run(...args: string[]): Promise<CliOutput>;
  close(): Promise<void>;
}

/**
 * One Node process that runs many `esu-scan` commands through the CLI's `main`, one after another (the same
 * parsing, actions, output and exit codes as bin/esu-scan.js): for tests that run many short commands, which
 * would otherwise start Node and load the SDKs once each. `env` is the process's environment; `perCommand`
 * is added to it for every command (undefined removes a setting).
 */
export function startCliSession(env: NodeJS.ProcessEnv, cwd: string, perCommand: Readonly<Record<string, string | undefined>> = {}): CliSession {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'cliSessionProcess.js')], { env, cwd, stdio: ['pipe', 'inherit', 'inherit', 'pipe'] });
  const results = createInterface({ input: child.stdio[3] as Readable })[Symbol.asyncIterator]();
  let queue: Promise<unknown> = Promise.resolve();
  const commandEnv = Object.fromEntries(Object.entries(perCommand).map(([name, value]) => [name, value ?? null]));
  const runOnce = async (args: string[]): Promise<CliOutput> => {
    child.stdin?.write(`${JSON.stringify({ args, env: commandEnv })}\n`);
    const next = await results.next();
    if (next.done) throw new Error(`the CLI session ended before esu-scan ${args.join(' ')} finished`);
    const { code, stdout, stderr } = JSON.parse(next.value) as CliFailure;
    if (code !== 0) throw Object.assign(new Error(`esu-scan ${args.join(' ')} exited ${code}: ${stderr.trim()}`), { code, stdout, stderr });
    return { stdout, stderr };
  };
  return {
    run(...args: string[]) {
      const run = queue.then(() => runOnce(args));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      child.stdin?.end();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}
