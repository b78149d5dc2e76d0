/** The real Bicep compiler for the infra tests: where it is (BICEP_PATH, PATH, ~/.azure/bin), and running it offline. */
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const EXECUTABLE = process.platform === 'win32' ? 'bicep.exe' : 'bicep';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The compiler to use and where it was found, or why there is none. */
export function findBicep(): { path: string } | { missing: string } {
  const configured = process.env['BICEP_PATH'];
  if (configured) {
    return isExecutable(configured) ? { path: configured } : { missing: `BICEP_PATH=${configured} is not an executable file` };
  }
  for (const folder of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, EXECUTABLE);
    if (isExecutable(candidate)) return { path: candidate };
  }
  const azureCli = join(homedir(), '.azure', 'bin', EXECUTABLE);
  if (isExecutable(azureCli)) return { path: azureCli };
  return { missing: 'no Bicep compiler: BICEP_PATH is unset, no bicep on PATH, no ~/.azure/bin/bicep' };
}

export interface BicepRun {
  readonly status: number | null;
  readonly stdout: string;
  /** Every error and warning the compiler or linter printed, one line each. */
  readonly problems: string[];
  readonly stderr: string;
}

const DIAGNOSTIC = /^.*\(\d+,\d+\) : (Error|Warning) [\w-]+: .*$/gm;

export function runBicep(bicep: string, command: 'build' | 'lint', file: string): BicepRun {
  const args = command === 'build' ? ['build', '--no-restore', file, '--stdout'] : ['lint', '--no-restore', file];
  const result = spawnSync(bicep, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  const problems = [...result.stderr.matchAll(DIAGNOSTIC)].map((match) => match[0]);
  return { status: result.status, stdout: result.stdout, problems, stderr: result.stderr };
}

/** Problems that fail the check: every diagnostic, or the exit status when nothing was printed. */
export function failures(run: BicepRun): string[] {
  if (run.problems.length > 0) return run.problems;
  return run.status === 0 ? [] : [`exit status ${run.status}: ${run.stderr.trim()}`];
}

