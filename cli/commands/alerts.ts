import type { Command } from 'commander';
import { Option } from 'commander';
import type { TokenCredential } from '@azure/core-auth';
import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { asRecord } from '../../shared/domain/read.js';
import { RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import { processEnvironment, readSetting } from '../../shared/config/settings.js';
import { serviceBusFromSettings } from '../../shared/runtime/dependencies.js';
import { defaultAzureCredential } from '../../shared/runtime/azureCredential.js';
import { CliError, EXIT_CODES } from '../exitCodes.js';
import { terminalSafe } from '../terminalText.js';
import { positiveInteger } from './options.js';
import { registerAlertState } from './alertState.js';

/** Without `--timeout`, a bus that never answers is given up after this long. */
const DEFAULT_GIVE_UP_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/**
 * One line per message: when, what happened, to what, and the first command of the fix. Any body shape is
 * printed with what it has (a field missing is left blank); nothing in it reaches the terminal raw.
 */
export function renderAlert(message: Pick<ServiceBusReceivedMessage, 'messageId' | 'body'>): string {
  const body = asRecord(message.body);
  if (body?.['transition'] === 'digest') {
    const head = `${text(body['occurredAt'])} DIGEST   ${text(body['severity']).padEnd(6)} ${text(body['jobType'])} ${text(body['ruleId'])} ${text(body['count'])} × ${text(body['digestOf'])}`;
    return terminalSafe(`${head} in ${text(body['subscriptionId'])}\n    list them: ${text(body['listCommand'])}`);
  }
  const finding = asRecord(body?.['finding']);
  if (!body || !finding) return terminalSafe(`${text(message.messageId)} (not a remediation message: ${JSON.stringify(message.body) ?? String(message.body)})`.slice(0, 2_000));
  const firstCommand = asRecord(Array.isArray(asRecord(body['job'])?.['commands']) ? (asRecord(body['job'])?.['commands'] as unknown[])[0] : undefined)?.['command'];
  const head = `${text(body['occurredAt'])} ${(text(body['transition']) || '?').toUpperCase().padEnd(8)} ${text(finding['severity']).padEnd(6)} ${text(body['jobType'])} ${text(finding['ruleId'])} ${text(finding['resourceName'])}`;
  return terminalSafe(`${head}\n    ${text(finding['message'])}${typeof firstCommand === 'string' ? `\n    fix: ${firstCommand}` : ''}`);
}

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('remediation messages on the Service Bus topic, and the findings\' alert state');
  registerAlertState(alerts);
  alerts.command('tail')
    .description('receive from a topic subscription and print messages as they come (completes them)')
    .requiredOption('--subscription <name>', `topic subscription, e.g. ${RESOURCE_NAMES.remediationSubscriptionAll} or ${RESOURCE_NAMES.remediationSubscriptionCritical}`)
    .option('--topic <name>', 'topic (default: ESU_REMEDIATION_TOPIC)')
    .option('--max <n>', 'stop after this many messages', positiveInteger)
    .option('--timeout <seconds>', 'stop after this many seconds (and give up on a bus that does not answer)', positiveInteger)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options: { subscription: string; topic?: string; max?: number; timeout?: number; format: 'text' | 'json' }) => {
      const env = processEnvironment();
      let credential: TokenCredential | undefined;
      const connection = serviceBusFromSettings(env, (clientId) => (credential ??= defaultAzureCredential(clientId)));
      if (!connection) throw new CliError('No Service Bus is configured: set ESU_SERVICEBUS__fullyQualifiedNamespace (with az login or a managed identity) or ESU_SERVICEBUS.', EXIT_CODES.usage);
      const topic = options.topic ?? readSetting(env, 'remediationTopic') ?? RESOURCE_NAMES.remediationTopic;
      const { createServiceBusClient } = await import('../../shared/adapters/serviceBus/messagePublisher.js');
      const client = createServiceBusClient(connection);
      const receiver = client.createReceiver(topic, options.subscription);
      const tail = new Tail(receiver, options.format, options.max);
      const giveUpMs = options.timeout ? options.timeout * 1000 : DEFAULT_GIVE_UP_MS;
      const timer = options.timeout ? setTimeout(() => tail.stop(), giveUpMs) : undefined;
      const onSignal = (): void => tail.stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      if (options.format === 'text') console.error(`Listening on ${topic}/${options.subscription} (Ctrl+C to stop)…`);
      try {
        await tail.run(giveUpMs);
      } finally {
        if (timer) clearTimeout(timer);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await receiver.close().catch(() => undefined);
        await client.close().catch(() => undefined);
      }
      if (tail.gaveUp) throw new CliError(`Gave up: Service Bus did not answer within ${Math.round(giveUpMs / 1000)} s (${tail.lastError}).`, EXIT_CODES.notFinished);
    });
}

/**
 * Receives until stopped. A failure closes the subscription and opens it again after a growing pause
 * (1 s, 2 s, 4 s … 30 s), printing each failure once; a bus that never answered is given up after `giveUpMs`.
 */
class Tail {
  private received = 0;
  private connected = false;
  private stopped = false;
  private wake: () => void = () => undefined;
  private timedOut = false;
  lastError = '';

  /** Failing when it stopped, having never received anything. */
  get gaveUp(): boolean {
    return this.timedOut || (!this.connected && this.lastError !== '');
  }

  constructor(private readonly receiver: ServiceBusReceiver, private readonly format: 'text' | 'json', private readonly max: number | undefined) {}

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  async run(giveUpMs: number): Promise<void> {
    const started = Date.now();
    let backoffMs = 1_000;
    while (!this.stopped) {
      const failed = await this.receiveUntilFailure();
      if (!failed || this.stopped) return;
      if (!this.connected && Date.now() - started >= giveUpMs) {
        this.timedOut = true;
        return;
      }
      console.error(terminalSafe(`Receiving failed: ${this.lastError}; retrying in ${backoffMs / 1000} s`));
      await this.pause(backoffMs);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
  }

  /** Resolves true when the subscription failed, false when stopped. */
  private async receiveUntilFailure(): Promise<boolean> {
    let failed = false;
    const done = new Promise<void>((resolve) => (this.wake = resolve));
    const subscription = this.receiver.subscribe({
      processMessage: async (message) => {
        this.connected = true;
        if (this.max !== undefined && this.received >= this.max) return this.receiver.abandonMessage(message);
        this.received += 1;
        try {
          console.log(this.format === 'json'
            ? terminalSafe(JSON.stringify({ messageId: message.messageId, applicationProperties: message.applicationProperties, body: message.body }))
            : renderAlert(message));
        } finally {
          // Printed or not, it is settled: a message the printer cannot read is never redelivered forever.
          await this.receiver.completeMessage(message);
        }
        if (this.max !== undefined && this.received >= this.max) this.stop();
      },
      processError: async (args) => {
        if (this.stopped) return;
        this.lastError = args.error.message;
        failed = true;
        this.wake();
      },
    });
    await done;
    await subscription.close().catch(() => undefined);
    return failed && !this.stopped;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
