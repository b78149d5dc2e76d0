import { randomUUID } from 'node:crypto';
import type { MessageBus, MessageOutbox } from './messagePorts.js';
import { DigestAccumulator, groupKeyOf, headerOf, INDIVIDUAL_MESSAGES_PER_GROUP } from '../alerts/digest.js';
import type { RemediationMessage } from '../alerts/message.js';

/**
 * Hands a scan's messages over: the first of each group (scan, subscription, rule, job type, transition)
 * are published one by one; past `limit`, a group goes as one digest at `finish`. The digest so far is kept
 * in the outbox after each hand-over, before the rows of its messages are written: a scan that dies leaves
 * what it had counted for the relay, and one that finishes replaces it with the whole. Without a bus every
 * message waits in the outbox, one by one, where `esu-scan jobs` lists them.
 */
export class MessageDelivery {
  readonly stats = { messages: 0, messagesPublished: 0, messagesKept: 0, digests: 0, digested: 0 };
  private readonly handed = new Map<string, number>();
  private readonly digests = new Map<string, DigestAccumulator>();
  /** This delivery's own key prefix for kept digests: a re-delivered scan keeps its own, never overwrites another's count. */
  private readonly keyPrefix = `digest-${randomUUID()}`;

  constructor(private readonly outbox: MessageOutbox, private readonly publisher: MessageBus | undefined, private readonly limit = INDIVIDUAL_MESSAGES_PER_GROUP) {}

  /** Publishes what it can; whatever Service Bus did not take (or all, without a bus) waits in the outbox. */
  async hand(messages: readonly RemediationMessage[]): Promise<void> {
    if (messages.length === 0) return;
    this.stats.messages += messages.length;
    let unsent = messages;
    if (this.publisher) {
      const { now, grown } = this.split(messages);
      const outcome = await this.publisher.publish(now);
      this.stats.messagesPublished += outcome.sent.length;
      const sent = new Set(outcome.sent);
      unsent = now.filter((message) => !sent.has(message.messageId));
      for (const key of grown) await this.keep(key, false);
    }
    if (unsent.length > 0) {
      this.stats.messagesKept += unsent.length;
      await this.outbox.enqueue(unsent);
    }
  }

  /** Publishes each digest whole; one the bus did not take stays in the outbox (complete) for the relay. */
  async finish(): Promise<void> {
    if (!this.publisher) return;
    for (const [key, accumulator] of this.digests) {
      const digest = accumulator.digest(true);
      if (!digest) continue;
      const outcome = await this.publisher.publish([digest]);
      if (outcome.sent.includes(digest.messageId)) {
        this.stats.digests += 1;
        this.stats.digested += digest.count;
        await this.outbox.removeKept(digest.subscriptionId, this.entryKey(key));
      } else {
        await this.keep(key, true);
      }
    }
  }

  private split(messages: readonly RemediationMessage[]): { now: RemediationMessage[]; grown: Set<string> } {
    const now: RemediationMessage[] = [];
    const grown = new Set<string>();
    for (const message of messages) {
      const key = groupKeyOf(headerOf(message));
      const count = (this.handed.get(key) ?? 0) + 1;
      this.handed.set(key, count);
      if (count <= this.limit) {
        now.push(message);
        continue;
      }
      let accumulator = this.digests.get(key);
      if (!accumulator) this.digests.set(key, (accumulator = new DigestAccumulator()));
      accumulator.add(message);
      grown.add(key);
    }
    return { now, grown };
  }

  private async keep(key: string, complete: boolean): Promise<void> {
    const digest = this.digests.get(key)?.digest(complete);
    if (digest) await this.outbox.keepDigest(digest, this.entryKey(key));
  }

  private entryKey(groupKey: string): string {
    return `${this.keyPrefix}|${groupKey}`;
  }
}
