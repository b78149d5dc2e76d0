import type { Command } from 'commander';
import { Option } from 'commander';
import { DefaultAzureCredential } from '@azure/identity';
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { createServiceBusClient } from '../../shared/adapters/serviceBus/messagePublisher.js';
import type { RemediationMessage } from '../../shared/alerts/message.js';
import { RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import { processEnvironment, readSetting } from '../../shared/config/settings.js';
import { serviceBusFromSettings } from '../../shared/runtime/dependencies.js';
import { positiveInteger } from './options.js';

/** One line per message: when, what happened, to what, and the first command of the fix. */
export function renderAlert(message: ServiceBusReceivedMessage): string {
  const body = message.body as Partial<RemediationMessage> | undefined;
  const finding = body?.finding;
  if (!finding) return `${String(message.messageId)} (not a remediation message: ${JSON.stringify(message.body)})`;
  const head = `${body.occurredAt ?? ''} ${String(body.transition ?? '?').toUpperCase().padEnd(8)} ${finding.severity.padEnd(6)} ${body.jobType ?? ''} ${finding.ruleId} ${finding.resourceName}`;
  const command = body.job?.commands[0]?.command;
  return `${head}\n    ${finding.message}${command ? `\n    fix: ${command}` : ''}`;
}

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('remediation messages on the Service Bus topic');
  alerts.command('tail')
    .description('receive from a topic subscription and print messages as they come (completes them)')
    .requiredOption('--subscription <name>', `topic subscription, e.g. ${RESOURCE_NAMES.remediationSubscriptionAll} or ${RESOURCE_NAMES.remediationSubscriptionCritical}`)
    .option('--topic <name>', 'topic (default: ESU_REMEDIATION_TOPIC)')
    .option('--max <n>', 'stop after this many messages', positiveInteger)
    .option('--timeout <seconds>', 'stop after this many seconds', positiveInteger)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options: { subscription: string; topic?: string; max?: number; timeout?: number; format: 'text' | 'json' }) => {
      const env = processEnvironment();
      let credential: DefaultAzureCredential | undefined;
      const connection = serviceBusFromSettings(env, (clientId) => (credential ??= new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {})));
      if (!connection) throw new Error('No Service Bus is configured: set ESU_SERVICEBUS__fullyQualifiedNamespace (with az login or a managed identity) or ESU_SERVICEBUS.');
      const topic = options.topic ?? readSetting(env, 'remediationTopic') ?? RESOURCE_NAMES.remediationTopic;
      const client = createServiceBusClient(connection);
      const receiver = client.createReceiver(topic, options.subscription);
      let received = 0;
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const timer = options.timeout ? setTimeout(stop, options.timeout * 1000) : undefined;
      process.once('SIGINT', stop);
      if (options.format === 'text') console.error(`Listening on ${topic}/${options.subscription} (Ctrl+C to stop)…`);
      const subscription = receiver.subscribe({
        processMessage: async (message) => {
          if (options.max !== undefined && received >= options.max) return receiver.abandonMessage(message);
          received += 1;
          console.log(options.format === 'json' ? JSON.stringify({ messageId: message.messageId, applicationProperties: message.applicationProperties, body: message.body }) : renderAlert(message));
          await receiver.completeMessage(message);
          if (options.max !== undefined && received >= options.max) stop();
        },
        processError: async (args) => {
          console.error(`Receiving failed (${args.errorSource}): ${args.error.message}`);
        },
      });
      try {
        await stopped;
      } finally {
        if (timer) clearTimeout(timer);
        process.off('SIGINT', stop);
        await subscription.close();
        await receiver.close();
        await client.close();
      }
    });
}
