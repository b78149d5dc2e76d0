import type { MessageBus, MessageOutbox, OutboxEntry } from './messagePorts.js';

export interface RelayResult {
  readonly published: number;
  readonly pending: number;
  readonly error?: string;
}

/**
 * Publishes what the outbox holds and removes what the topic accepted. Without a bus the messages stay
 * (`NotPublished`, listed by `esu-scan jobs`); after a failure they stay (`PublishFailed`) for the next
 * relay, with the same message ids.
 */
export async function relayOutbox(outbox: MessageOutbox, publisher: MessageBus | undefined, subscriptionId?: string): Promise<RelayResult> {
  const entries: OutboxEntry[] = [];
  for await (const entry of outbox.list(subscriptionId)) entries.push(entry);
  if (entries.length === 0) return { published: 0, pending: 0 };
  if (!publisher) {
    const fresh = entries.filter((entry) => entry.state === 'Pending');
    if (fresh.length > 0) await outbox.mark(fresh, 'NotPublished', 'no Service Bus is configured');
    return { published: 0, pending: entries.length };
  }
  // Oldest first, so subscribers see a finding's transitions in order.
  entries.sort((a, b) => a.message.occurredAt.localeCompare(b.message.occurredAt) || a.rowKey.localeCompare(b.rowKey));
  const outcome = await publisher.publish(entries.map((entry) => entry.message));
  const sent = new Set(outcome.sent);
  await outbox.remove(entries.filter((entry) => sent.has(entry.message.messageId)));
  const failed = entries.filter((entry) => !sent.has(entry.message.messageId));
  if (failed.length > 0) await outbox.mark(failed, 'PublishFailed', outcome.error ?? 'not sent');
  return { published: sent.size, pending: failed.length, ...(outcome.error ? { error: outcome.error } : {}) };
}
