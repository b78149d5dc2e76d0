import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { registerAlerts } from './commands/alerts.js';
import { registerExport } from './commands/export.js';
import { registerFindings } from './commands/findings.js';
import { registerJobs } from './commands/jobs.js';
import { registerPlan } from './commands/plan.js';
import { registerRules } from './commands/rules.js';
import { registerScan } from './commands/scan.js';
import { registerSuppress } from './commands/suppress.js';
import { EXIT_CODES } from './exitCodes.js';
import { terminalSafe } from './terminalText.js';
import { projectRoot } from './projectPaths.js';

/** The version in the checkout's package.json (the CLI runs from its checkout). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command('esu-scan')
    .description('Checks that Azure Arc-enabled Windows Server 2012 machines keep receiving Extended Security Updates.')
    .version(packageVersion(), '--version', 'the esu-scan version')
    .showHelpAfterError()
    // Usage errors are thrown (subcommands inherit this), so they exit with their own documented code.
    .exitOverride();
  for (const register of [registerScan, registerPlan, registerFindings, registerJobs, registerExport, registerSuppress, registerAlerts, registerRules]) register(program);
  return program;
}

/** Runs the CLI; resolves with the exit code (errors are printed here, as one line without control characters). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_CODES.ok;
  } catch (error) {
    // Commander printed its own errors; an InvalidArgumentError thrown by a command's action it did not.
    if (error instanceof CommanderError && !(error instanceof InvalidArgumentError)) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    if (error instanceof InvalidArgumentError) {
      console.error(`error: ${terminalSafe(error.message)}`);
      return EXIT_CODES.usage;
    }
    console.error(terminalSafe(error instanceof Error ? error.message : String(error)).slice(0, 2_000));
    const code = (error as { exitCode?: unknown }).exitCode;
    return typeof code === 'number' ? code : EXIT_CODES.notFinished;
  }
}
