import { Command } from 'commander';
import { registerAlerts } from './commands/alerts.js';
import { registerFindings } from './commands/findings.js';
import { registerJobs } from './commands/jobs.js';
import { registerRules } from './commands/rules.js';
import { registerScan } from './commands/scan.js';
import { registerSuppress } from './commands/suppress.js';

export function buildProgram(): Command {
  const program = new Command('esu-scan')
    .description('Checks that Azure Arc-enabled Windows Server 2012 machines keep receiving Extended Security Updates.')
    .showHelpAfterError();
  for (const register of [registerScan, registerFindings, registerJobs, registerSuppress, registerAlerts, registerRules]) register(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}
