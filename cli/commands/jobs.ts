import type { Command } from 'commander';
import type { OutboxEntry } from '../../shared/scan/messagePorts.js';
import { relayOutbox } from '../../shared/scan/outboxRelay.js';
import { processEnvironment } from '../../shared/config/settings.js';
import { formatRows, type OutputFormat } from '../format.js';
import { withCliEnvironment } from '../localEnvironment.js';
import { formatOption } from './options.js';

export function registerJobs(program: Command): void {
  program.command('jobs')
    .description('list the remediation messages waiting in the outbox (no Service Bus configured, or it was down)')
    .option('--subscription <id>', 'only this subscription')
    .addOption(formatOption())
    .action(async (options: { subscription?: string; format: OutputFormat }) => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        const rows: OutboxEntry[] = [];
        for await (const entry of environment.deps.outbox.list(options.subscription)) rows.push(entry);
        const data = options.format === 'json' ? rows.map((entry) => ({ state: entry.state, lastError: entry.lastError, attempts: entry.attempts, ...entry.message })) : rows;
        if (options.format === 'json') {
          console.log(JSON.stringify(data, null, 2));
          return;
        }
        console.log(formatRows(rows, [
          { header: 'transition', value: (e) => e.message.transition },
          { header: 'jobType', value: (e) => e.message.jobType },
          { header: 'state', value: (e) => e.state },
          { header: 'ruleId', value: (e) => e.message.finding.ruleId },
          { header: 'resource', value: (e) => (options.format === 'table' ? e.message.finding.resourceName : e.message.finding.resourceId), width: 40 },
          { header: 'command', value: (e) => e.message.job?.commands[0]?.command ?? '', width: 90 },
        ], options.format));
      });
    });

  program.command('publish')
    .description('publish the messages waiting in the outbox to the Service Bus topic (the app does this after each scan and every few minutes)')
    .action(async () => {
      await withCliEnvironment(processEnvironment(), async (environment) => {
        if (!environment.deps.publisher) throw new Error('No Service Bus is configured: set ESU_SERVICEBUS__fullyQualifiedNamespace (or ESU_SERVICEBUS).');
        const result = await relayOutbox(environment.deps.outbox, environment.deps.publisher);
        console.log(`Published ${result.published} message(s); ${result.pending} still waiting${result.error ? `: ${result.error}` : ''}.`);
        if (result.error) process.exitCode = 1;
      });
    });
}
