import type { RemediationMessage } from '../alerts/message.js';

export type OutboxState = 'Pending' | 'NotPublished' | 'PublishFailed';

/** A message waiting in the outbox, where it is kept and how its sending went. */
export interface OutboxEntry {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly state: OutboxState;
  readonly lastError?: string;
  readonly attempts: number;
  readonly message: RemediationMessage;
}

/** Messages kept until the bus has them: what the sink could not hand over, and what the relay sends later. */
export interface MessageOutbox {
  enqueue(messages: readonly RemediationMessage[]): Promise<number>;
  /** The waiting messages of one subscription, or of all. */
  list(subscriptionId?: string): AsyncIterable<OutboxEntry>;
  /** Notes why these are still waiting (they are tried again by the next relay). */
  mark(entries: readonly OutboxEntry[], state: OutboxState, lastError: string): Promise<void>;
  /** Removes messages the bus accepted. */
  remove(entries: readonly OutboxEntry[]): Promise<void>;
}

export interface PublishOutcome {
  /** Message ids the topic accepted, in order. */
  readonly sent: readonly string[];
  /** Why the rest were not sent. */
  readonly error?: string;
}

/** Where remediation messages go (the Service Bus topic); whatever it does not take waits in the outbox. */
export interface MessageBus {
  publish(messages: readonly RemediationMessage[]): Promise<PublishOutcome>;
}
