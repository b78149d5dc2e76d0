import type { RemediationMessage } from '../alerts/message.js';
import type { DigestMessage, MessageHeader, TopicMessage } from '../alerts/digest.js';

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
  /** Every waiting message's header without its body: what a relay groups into digests. */
  listHeaders(subscriptionId?: string): AsyncIterable<OutboxHeaderEntry>;
  /** Digests scans kept (complete, or what a scan that died had counted). */
  listDigests(subscriptionId?: string): AsyncIterable<KeptDigest>;
  /** Keeps a scan's digest so far under its own key, replacing what that key held. */
  keepDigest(digest: DigestMessage, entryKey: string): Promise<void>;
  removeKept(subscriptionId: string, entryKey: string): Promise<void>;
  /** Notes why these are still waiting (they are tried again by the next relay). */
  mark(entries: readonly OutboxKey[], state: OutboxState, lastError: string): Promise<void>;
  /** Removes messages the bus accepted. */
  remove(entries: readonly Pick<OutboxKey, 'partitionKey' | 'rowKey'>[]): Promise<void>;
}

/** Where an outbox entry is, and how often it was tried. */
export type OutboxKey = Pick<OutboxEntry, 'partitionKey' | 'rowKey' | 'attempts'>;

/** An outbox entry as `listHeaders` reads it. */
export interface OutboxHeaderEntry extends OutboxKey {
  readonly state: OutboxState;
  readonly occurredAt: string;
  readonly header: MessageHeader;
}

export interface KeptDigest extends OutboxKey {
  readonly digest: DigestMessage;
}

export interface PublishOutcome {
  /** Message ids the topic accepted, in order. */
  readonly sent: readonly string[];
  /** Why the rest were not sent. */
  readonly error?: string;
}

/** Where remediation messages go (the Service Bus topic); whatever it does not take waits in the outbox. */
export interface MessageBus {
  publish(messages: readonly TopicMessage[]): Promise<PublishOutcome>;
}
