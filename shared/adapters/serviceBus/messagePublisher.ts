import type { ServiceBusMessage, ServiceBusSender } from '@azure/service-bus';
import { ServiceBusClient } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import { applicationPropertiesOf } from '../../alerts/message.js';
import { digestPropertiesOf, type TopicMessage } from '../../alerts/digest.js';
import type { MessageBus, PublishOutcome } from '../../scan/messagePorts.js';

export type ServiceBusConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly fullyQualifiedNamespace: string; readonly credential: TokenCredential };

export function toServiceBusMessage(message: TopicMessage): ServiceBusMessage {
  return {
    // Deterministic: the topic's duplicate detection drops a re-send of the same message.
    messageId: message.messageId,
    body: message,
    contentType: 'application/json',
    subject: message.scanId,
    correlationId: message.scanId,
    applicationProperties: message.transition === 'digest' ? digestPropertiesOf(message) : applicationPropertiesOf(message),
  };
}

/**
 * The SDK's retries: 3 after the first try, 0.5 s apart, each try given 30 s. An unreachable namespace is
 * therefore one error after at most 4 x 30 + 1.5 s (about 2 minutes), and the messages wait in the outbox.
 */
export const SERVICE_BUS_RETRY = { maxRetries: 3, retryDelayInMs: 500, timeoutInMs: 30_000 };

export function createServiceBusClient(connection: ServiceBusConnection): ServiceBusClient {
  const retryOptions = SERVICE_BUS_RETRY;
  return connection.kind === 'connectionString'
    ? new ServiceBusClient(connection.connectionString, { retryOptions })
    : new ServiceBusClient(connection.fullyQualifiedNamespace, connection.credential, { retryOptions });
}

/**
 * Publishes to the remediation topic in batches, stopping at the first failure and saying what got
 * through. After a failure it stops trying for `pauseMs` (a circuit breaker), so a Service Bus outage
 * costs one round of retries per pause, not one per page: the outbox keeps the rest for the relay.
 */
export class MessagePublisher implements MessageBus {
  private readonly client: ServiceBusClient;
  private readonly sender: ServiceBusSender;
  private pausedUntil = 0;
  private lastError = '';
  private readonly pauseMs: number;

  /** The namespace as the error names it: `sb://host` (never the key of a connection string). */
  readonly endpoint: string;

  constructor(connection: ServiceBusConnection, private readonly topic: string, options: { pauseMs?: number } = {}) {
    this.pauseMs = options.pauseMs ?? 60_000;
    this.endpoint = endpointOf(connection);
    this.client = createServiceBusClient(connection);
    this.sender = this.client.createSender(topic);
  }

  async publish(messages: readonly TopicMessage[]): Promise<PublishOutcome> {
    const sent: string[] = [];
    if (messages.length === 0) return { sent };
    if (Date.now() < this.pausedUntil) return { sent, error: `Service Bus unavailable, not retried until ${new Date(this.pausedUntil).toISOString()}: ${this.lastError}` };
    try {
      let batch = await this.sender.createMessageBatch();
      let inBatch: string[] = [];
      for (const message of messages) {
        const busMessage = toServiceBusMessage(message);
        if (!batch.tryAddMessage(busMessage)) {
          if (batch.count === 0) throw new Error(`message ${message.messageId} is larger than a Service Bus message may be`);
          await this.sender.sendMessages(batch);
          sent.push(...inBatch);
          batch = await this.sender.createMessageBatch();
          inBatch = [];
          if (!batch.tryAddMessage(busMessage)) throw new Error(`message ${message.messageId} is larger than a Service Bus message may be`);
        }
        inBatch.push(message.messageId);
      }
      if (batch.count > 0) {
        await this.sender.sendMessages(batch);
        sent.push(...inBatch);
      }
      return { sent };
    } catch (error) {
      this.lastError = this.explain(error);
      this.pausedUntil = Date.now() + this.pauseMs;
      return { sent, error: this.lastError };
    }
  }

  /** One clear sentence: what failed where, and what to check; the messages wait in the outbox for the relay. */
  private explain(error: unknown): string {
    const cause = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    const access = code === 'UnauthorizedError' || /unauthori[sz]ed|forbidden|claim|401|403/i.test(cause);
    const check = access
      ? 'check that the identity holds "Azure Service Bus Data Sender" on the topic or namespace (role assignments can take minutes to apply)'
      : 'check that the namespace name resolves (DNS, private endpoint zone), that the network lets AMQP (port 5671) or AMQP over WebSockets (443) through, and that the topic exists';
    return `Service Bus at ${this.endpoint}: sending to topic ${this.topic} failed (${cause}); ${check}. The messages wait in the outbox for the relay.`;
  }

  async close(): Promise<void> {
    await this.sender.close().catch(() => undefined);
    await this.client.close().catch(() => undefined);
  }
}

function endpointOf(connection: ServiceBusConnection): string {
  if (connection.kind === 'identity') return `sb://${connection.fullyQualifiedNamespace.replace(/^sb:\/\//, '').replace(/\/+$/, '')}`;
  return /Endpoint=([^;]+)/i.exec(connection.connectionString)?.[1]?.replace(/\/+$/, '') ?? 'the configured namespace';
}
