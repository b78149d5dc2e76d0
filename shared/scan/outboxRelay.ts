import type { MessageBus, MessageOutbox, OutboxHeaderEntry, OutboxKey } from './messagePorts.js';
import { digestOf, groupKeyOf, INDIVIDUAL_MESSAGES_PER_GROUP, type TopicMessage } from '../alerts/digest.js';
import type { RemediationMessage } from '../alerts/message.js';

export interface RelayResult {
  readonly published: number;
  readonly pending: number;
  /** Messages that went as part of a digest (each digest counts once in `published`). */
  readonly digested?: number;
  readonly error?: string;
}

export interface RelayOptions {
  /** A group of at least this many waiting messages goes as one digest (default `INDIVIDUAL_MESSAGES_PER_GROUP`). */
  readonly digestFrom?: number;
}

/** What goes to the topic: one message, or a digest, with the outbox entries it takes away. */
interface Unit {
  readonly occurredAt: string;
  readonly message: TopicMessage;
  readonly entries: readonly OutboxKey[];
}

/**
 * Publishes what the outbox holds and removes what the topic accepted. Without a bus the messages stay
 * (`NotPublished`, listed by `esu-scan jobs`); after a failure they stay (`PublishFailed`) for the next
 * relay, with the same message ids. A group of waiting messages of one scan, subscription, rule, job
 * type and transition goes as one digest when it is large (see `alerts/digest.ts`); the rest go one by one.
 * Only headers are held for the whole outbox; full bodies only for what goes one by one.
 */
export async function relayOutbox(outbox: MessageOutbox, publisher: MessageBus | undefined, subscriptionId?: string, options: RelayOptions = {}): Promise<RelayResult> {
  const groups = new Map<string, OutboxHeaderEntry[]>();
  let waiting = 0;
  for await (const entry of outbox.listHeaders(subscriptionId)) {
    const key = groupKeyOf(entry.header);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
    waiting += 1;
  }
  const kept: Unit[] = [];
  // Digests a scan kept (one that stopped before its end leaves what it had counted) go as they are.
  for await (const entry of outbox.listDigests(subscriptionId)) kept.push({ occurredAt: entry.digest.occurredAt, message: entry.digest, entries: [entry] });
  if (waiting + kept.length === 0) return { published: 0, pending: 0 };
  if (!publisher) {
    const fresh = [...groups.values()].flat().filter((entry) => entry.state === 'Pending');
    if (fresh.length > 0) await outbox.mark(fresh, 'NotPublished', 'no Service Bus is configured');
    return { published: 0, pending: waiting + kept.length };
  }
  const digestFrom = options.digestFrom ?? INDIVIDUAL_MESSAGES_PER_GROUP;
  const digestKeyOf = new Map<string, string>();
  for (const [key, members] of groups) if (members.length >= digestFrom) for (const member of members) digestKeyOf.set(member.rowKey, key);
  // One pass over the bodies: each single message in full, and one example per digest.
  const singles: Unit[] = [];
  const examples = new Map<string, RemediationMessage>();
  for await (const entry of outbox.list(subscriptionId)) {
    const key = digestKeyOf.get(entry.rowKey);
    if (key === undefined) singles.push({ occurredAt: entry.message.occurredAt, message: entry.message, entries: [entry] });
    else if (!examples.has(key)) examples.set(key, entry.message);
  }
  const digests: Unit[] = [];
  for (const [key, members] of groups) {
    const example = examples.get(key);
    if (members.length < digestFrom || !example) continue;
    const occurredAt = members.reduce((latest, member) => (member.occurredAt > latest ? member.occurredAt : latest), '');
    digests.push({ occurredAt, message: digestOf(members, example), entries: members });
  }

  // Oldest first, so subscribers see a finding's transitions in order.
  const units = [...singles, ...digests, ...kept].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.message.messageId.localeCompare(b.message.messageId));
  const outcome = await publisher.publish(units.map((unit) => unit.message));
  const sent = new Set(outcome.sent);
  const accepted = units.filter((unit) => sent.has(unit.message.messageId));
  const refused = units.filter((unit) => !sent.has(unit.message.messageId));
  await outbox.remove(accepted.flatMap((unit) => unit.entries));
  const unsent = refused.flatMap((unit) => unit.entries);
  if (unsent.length > 0) await outbox.mark(unsent, 'PublishFailed', outcome.error ?? 'not sent');
  const digested = accepted.reduce((sum, unit) => sum + (unit.message.transition === 'digest' ? unit.entries.length : 0), 0);
  return { published: sent.size, pending: unsent.length, ...(digested > 0 ? { digested } : {}), ...(outcome.error ? { error: outcome.error } : {}) };
}
