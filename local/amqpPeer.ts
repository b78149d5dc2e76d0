// In-process AMQP 1.0 peer for Service Bus clients: used by the tests and the benchmark, never in Azure.
// An in-process AMQP 1.0 peer that the real @azure/service-bus client can talk to in tests.
// It implements only what the SDK needs for send / batch send / peek-lock receive / complete
// (see docs/local-stand-ins.md, "Service Bus: an AMQP 1.0 peer for tests"). Not a broker:
// no $management operations, no lock expiry, no redelivery.
import rhea from 'rhea';
import type { Connection, Delivery, EventContext, Message, Sender } from 'rhea';
import type { Server, Socket } from 'node:net';

export interface ReceivedMessage {
  address: string;
  messageId?: string;
  subject?: string;
  correlationId?: string;
  contentType?: string;
  body: unknown;
  applicationProperties: Record<string, unknown>;
}
export interface AmqpPeerOptions {
  port?: number;
  /** false: count messages (and their ids) but keep no bodies, for benchmarks of 100k messages. */
  retainMessages?: boolean;
}
export interface AmqpPeer {
  readonly port: number;
  readonly connectionString: string;
  readonly received: readonly ReceivedMessage[];
  /** Every message ever received, also when `retainMessages` is false. */
  readonly receivedCount: number;
  /** Their size as sent: the encoded AMQP message (header, properties, application properties, body). */
  readonly receivedBytes: number;
  /** How many times each message id arrived (duplicates show as > 1). */
  readonly receivedIds: ReadonlyMap<string, number>;
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly ReceivedMessage[]>;
  enqueueForSubscription(topic: string, subscription: string, message: { body: unknown; messageId?: string; applicationProperties?: Record<string, unknown>; subject?: string }): void;
  stop(): Promise<void>;
}

const BATCH_FORMAT = 0x80013700;
const DATA_SECTION = 0x75;
/** The properties section (AMQP 1.0, 3.2.4): its first field is the message id. */
const PROPERTIES_SECTION = 0x73;

/** rhea's section reader (exported at run time, not in its typings). */
type SectionReader = { remaining(): number; read(): { descriptor?: { value?: unknown }; value?: readonly { value?: unknown }[] } };
const { Reader } = rhea.types as unknown as { Reader: new (buffer: Buffer) => SectionReader };

/**
 * Counting only (benchmarks): the message id, read from the sections in front of the properties; the
 * application properties and the body that follow are never decoded, so the peer competes less for CPU.
 */
export function messageIdOf(encoded: Buffer): string | undefined {
  const reader = new Reader(encoded);
  while (reader.remaining() > 0) {
    const section = reader.read();
    const descriptor = section.descriptor?.value;
    if (descriptor === PROPERTIES_SECTION || descriptor === 'amqp:properties:list') {
      const id = section.value?.[0]?.value;
      return id === undefined || id === null ? undefined : String(id);
    }
  }
  return undefined;
}

/** rhea's typings hide the local attach frame; we need it to echo settle modes and max size. */
type LocalAttach = { local: { attach: Record<string, unknown> } };

/** Decode a body the way the SDK's defaultDataTransformer does: data sections are JSON-parsed when possible. */
function decodeBody(body: unknown): unknown {
  const section = body as { typecode?: number; content?: unknown } | null;
  if (section && typeof section.typecode === 'number') {
    if (section.typecode !== DATA_SECTION || !Buffer.isBuffer(section.content)) return section.content;
    try { return JSON.parse(section.content.toString('utf8')); } catch { return section.content; }
  }
  return body;
}

function toReceived(address: string, m: Message, decode = true): ReceivedMessage {
  // Counting only (benchmarks): the body stays undecoded, so the peer does not compete for CPU.
  const r: ReceivedMessage = { address, body: decode ? decodeBody(m.body) : undefined, applicationProperties: { ...(m.application_properties ?? {}) } };
  if (m.message_id !== undefined) r.messageId = String(m.message_id);
  if (m.subject !== undefined) r.subject = m.subject;
  if (m.correlation_id !== undefined) r.correlationId = String(m.correlation_id);
  if (m.content_type !== undefined) r.contentType = m.content_type;
  return r;
}

/** Does a message sent to `address` belong in the queue/subscription `key`? (both lower-cased) */
const routesTo = (address: string, key: string): boolean => key === address || key.startsWith(`${address}/subscriptions/`);

export async function startAmqpPeer(options: AmqpPeerOptions = {}): Promise<AmqpPeer> {
  const container = rhea.create_container({ id: 'amqp-peer' });
  container.sasl_server_mechanisms.enable_anonymous();
  // Errors and disconnects from dropped clients are expected in tests; handling them keeps rhea quiet.
  container.on('error', () => {});
  container.on('disconnected', () => {});

  const received: ReceivedMessage[] = [];
  let receivedCount = 0;
  let receivedBytes = 0;
  const receivedIds = new Map<string, number>();
  const waiters = new Set<() => void>();
  const queues = new Map<string, ReceivedMessage[]>();   // lower-cased source address -> undelivered messages
  const consumers = new Map<string, Set<Sender>>();      // lower-cased source address -> peer senders
  const sockets = new Set<Socket>();
  let sequence = 1;

  /** Created lazily; seeded with everything already sent to the topic, as if the subscription always existed. */
  function queueFor(key: string): ReceivedMessage[] {
    let q = queues.get(key);
    if (!q) {
      q = received.filter((m) => routesTo(m.address.toLowerCase(), key));
      queues.set(key, q);
    }
    return q;
  }

  function toRhea(m: ReceivedMessage): Message {
    const now = Date.now();
    const body = Buffer.isBuffer(m.body) ? m.body : Buffer.from(JSON.stringify(m.body ?? null), 'utf8');
    return {
      message_id: m.messageId, subject: m.subject, correlation_id: m.correlationId, content_type: m.contentType,
      application_properties: m.applicationProperties,
      message_annotations: { 'x-opt-enqueued-time': new Date(now), 'x-opt-locked-until': new Date(now + 60_000), 'x-opt-sequence-number': sequence++ },
      body: rhea.message.data_section(body),
    };
  }

  /** Deliver queued messages to whichever attached receivers have credit. */
  function pump(key: string): void {
    const q = queueFor(key);
    const senders = consumers.get(key) ?? new Set<Sender>();
    for (const sender of senders) {
      if (!sender.is_open()) { senders.delete(sender); continue; } // its client went away without detaching
      while (q.length > 0 && sender.sendable()) {
        // A 16-byte tag: the SDK turns the delivery tag into the message's lock token (a UUID).
        sender.send(toRhea(q.shift()!), rhea.string_to_uuid(rhea.generate_uuid()));
      }
    }
  }

  function count(messageId: string | undefined, bytes: number): void {
    receivedCount += 1;
    receivedBytes += bytes;
    if (messageId !== undefined) receivedIds.set(messageId, (receivedIds.get(messageId) ?? 0) + 1);
  }

  function record(m: ReceivedMessage, bytes: number): void {
    count(m.messageId, bytes);
    if (options.retainMessages === false) return;
    received.push(m);
    const address = m.address.toLowerCase();
    for (const key of queues.keys()) if (routesTo(address, key)) queues.get(key)!.push(m);
    for (const key of consumers.keys()) if (routesTo(address, key)) pump(key);
    for (const w of waiters) w();
  }

  // The SDK's senders/receivers attach; rhea opens our end automatically but we must echo addresses.
  container.on('receiver_open', (ctx: EventContext) => {
    const link = ctx.receiver!;
    link.set_target(link.target);
    link.set_source(link.source);
    // The SDK reads max_message_size from our attach to size batches.
    (link as unknown as LocalAttach).local.attach.max_message_size = 1024 * 1024;
  });
  container.on('sender_open', (ctx: EventContext) => {
    const link = ctx.sender!;
    link.set_source(link.source);
    link.set_target(link.target);
    const local = (link as unknown as LocalAttach).local.attach;
    // Echo settle modes so receive-and-delete gets pre-settled transfers.
    local.snd_settle_mode = link.snd_settle_mode;
    local.rcv_settle_mode = link.rcv_settle_mode;
    const address = String(link.source?.address ?? '').toLowerCase();
    if (address === '$cbs' || address === '$management') return;
    if (!consumers.has(address)) consumers.set(address, new Set());
    consumers.get(address)!.add(link);
  });
  container.on('sendable', (ctx: EventContext) => pump(String(ctx.sender!.source?.address ?? '').toLowerCase()));
  container.on('sender_draining', (ctx: EventContext) => {
    pump(String(ctx.sender!.source?.address ?? '').toLowerCase());
    ctx.sender!.set_drained(true); // nothing more to give: hand the remaining credit back
  });
  const forget = (ctx: EventContext): void => { for (const set of consumers.values()) set.delete(ctx.sender!); };
  container.on('sender_close', forget);
  container.on('sender_error', forget);
  // Peek-lock settlement (complete/abandon/dead-letter): the SDK waits for us to settle the delivery.
  for (const outcome of ['accepted', 'released', 'rejected', 'modified']) {
    container.on(outcome, (ctx: EventContext) => { const d = ctx.delivery as Delivery; if (!d.settled) d.update(true, (d.remote_state as { described?: () => unknown } | undefined)?.described?.()); });
  }

  container.on('message', (ctx: EventContext) => {
    const address = String(ctx.receiver!.target?.address ?? '');
    const msg = ctx.message!;
    if (address === '$cbs') return replyToCbs(ctx.connection, msg);
    const format = (ctx as { format?: number }).format;
    if (format === BATCH_FORMAT) {
      // A batch is an envelope whose data sections are each a complete encoded message.
      const batch = rhea.message.decode(msg as unknown as Buffer).body as { content?: unknown; multiple?: boolean };
      const parts = batch.multiple ? (batch.content as Buffer[]) : [batch.content as Buffer];
      if (options.retainMessages === false) {
        for (const part of parts) count(messageIdOf(part), part.length);
      } else {
        for (const part of parts) record(toReceived(address, rhea.message.decode(part) as unknown as Message), part.length);
      }
    } else {
      record(toReceived(address, msg, options.retainMessages !== false), rhea.message.encode(msg).length);
    }
  });

  // Any put-token succeeds; reply on the link named by reply_to (the SDK's `cbs-<uuid>` receiver).
  function replyToCbs(connection: Connection, request: Message): void {
    const reply = connection.find_sender((s: Sender) => s.name === request.reply_to || s.target?.address === request.reply_to);
    reply?.send({ correlation_id: request.message_id, application_properties: { 'status-code': 200, 'status-description': 'OK' }, body: '' });
  }

  const server: Server = container.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  server.on('connection', (socket: Socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true`,
    received,
    get receivedCount() {
      return receivedCount;
    },
    get receivedBytes() {
      return receivedBytes;
    },
    receivedIds,
    waitForMessages(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => { if (received.length >= count) { done(); resolve(received); } };
        const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${count} messages (got ${received.length})`)); }, timeoutMs);
        const done = (): void => { clearTimeout(timer); waiters.delete(check); };
        waiters.add(check);
        check();
      });
    },
    enqueueForSubscription(topic, subscription, message) {
      const key = `${topic}/subscriptions/${subscription}`.toLowerCase();
      queueFor(key).push({ address: key, body: message.body, messageId: message.messageId, subject: message.subject, applicationProperties: message.applicationProperties ?? {} });
      pump(key);
    },
    async stop() {
      // Drop sockets abruptly (like an outage) and wait for the listener to release the port. Destroy
      // *with* an error: rhea only cleans up (heartbeat timers that would keep node alive) on 'error'/'end'.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy(new Error('amqp peer stopped'));
      await closed;
    },
  };
}
