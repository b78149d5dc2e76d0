// A loopback HTTPS stand-in of the Logs Ingestion endpoint (a data collection endpoint), so the real
// LogsIngestionClient can be exercised without Azure. Like the service it takes
// POST /dataCollectionRules/{ruleId}/streams/{stream}?api-version=…, a bearer token and a gzip JSON array,
// and it checks the rule id, the stream name and every record against the stream's declaration read from
// the compiled template (local/telemetrySchema.ts). It can answer 429 (Retry-After), 503 and 413 on demand.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { loopbackCertificate } from './loopbackCertificate.js';
import { recordProblems, type StreamColumn } from './telemetrySchema.js';

export interface IngestionReply {
  /** `serve`: handle this request normally (to place faults after some accepted requests). */
  readonly status: 429 | 503 | 413 | 500 | 'serve';
  readonly retryAfterSeconds?: number;
}

export interface IngestionStandInOptions {
  /** The rule's immutable id the stand-in answers for (others get 404). */
  readonly ruleId: string;
  /** Stream name → its declared columns. */
  readonly streams: ReadonlyMap<string, readonly StreamColumn[]>;
  /** Replies given to the next requests, in order, before they are looked at (then normal service resumes). */
  readonly replies?: readonly IngestionReply[];
  /** A request whose JSON body is larger than this gets 413 (the service takes 1 MB per call). */
  readonly maxBodyBytes?: number;
  /** Every request gets 503 (the endpoint is down). */
  readonly down?: boolean;
}

export interface IngestionRequestRecord {
  readonly stream: string;
  readonly status: number;
  readonly records: number;
  readonly bytes: number;
}

export interface IngestionStandIn {
  readonly endpoint: string;
  readonly ca: string;
  /** Records accepted (204), per stream, in arrival order. */
  readonly accepted: Map<string, Record<string, unknown>[]>;
  readonly requests: IngestionRequestRecord[];
  /** Changes the fault behaviour between calls of a test. */
  configure(change: Pick<IngestionStandInOptions, 'replies' | 'maxBodyBytes' | 'down'>): void;
  close(): Promise<void>;
}

const ROUTE = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/?]+)$/;

export async function startIngestionStandIn(options: IngestionStandInOptions): Promise<IngestionStandIn> {
  const { key, cert } = await loopbackCertificate();
  let replies = [...(options.replies ?? [])];
  let maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  let down = options.down ?? false;
  const accepted = new Map<string, Record<string, unknown>[]>();
  const requests: IngestionRequestRecord[] = [];

  function answer(res: ServerResponse, status: number, code?: string, message?: string, headers: Record<string, string> = {}): void {
    const body = code ? JSON.stringify({ error: { code, message } }) : '';
    res.writeHead(status, { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) });
    res.end(body);
  }

  function handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://stand-in');
    const route = ROUTE.exec(url.pathname);
    const stream = route ? decodeURIComponent(route[2]!) : '';
    const log = (status: number, records = 0, bytes = body.length): void => void requests.push({ stream, status, records, bytes });
    if (req.method !== 'POST' || !route) return log(404), answer(res, 404, 'NotFound', `no route ${req.method} ${url.pathname}`);
    if (!url.searchParams.get('api-version')) return log(400), answer(res, 400, 'MissingApiVersion', 'api-version is required');
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) return log(401), answer(res, 401, 'Unauthorized', 'no bearer token');
    const scripted = replies.shift();
    const fault = scripted?.status === 'serve' ? undefined : (scripted ?? (down ? { status: 503 as const } : undefined));
    if (fault && fault.status !== 'serve') {
      log(fault.status);
      return answer(res, fault.status, 'Injected', `injected ${fault.status}`, fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
    }
    if (decodeURIComponent(route[1]!) !== options.ruleId) return log(404), answer(res, 404, 'InvalidDcrImmutableId', 'no data collection rule with this immutable id');
    const columns = options.streams.get(stream);
    if (!columns) return log(400), answer(res, 400, 'InvalidStream', `the rule declares no stream ${stream}`);
    if (req.headers['content-encoding'] !== 'gzip') return log(400), answer(res, 400, 'InvalidContentEncoding', 'expected a gzip body');
    let json: Buffer;
    let records: unknown;
    try {
      json = gunzipSync(body);
      records = JSON.parse(json.toString('utf8'));
    } catch (error) {
      return log(400), answer(res, 400, 'InvalidPayload', `not gzip JSON: ${(error as Error).message}`);
    }
    if (json.length > maxBodyBytes) return log(413, 0, json.length), answer(res, 413, 'ContentLengthLimitExceeded', `body of ${json.length} bytes exceeds ${maxBodyBytes}`);
    if (!Array.isArray(records)) return log(400), answer(res, 400, 'InvalidPayload', 'the body must be a JSON array');
    const problems = records.flatMap((record, index) => recordProblems(record, columns).map((problem) => `record ${index}: ${problem}`));
    if (problems.length > 0) return log(400, records.length, json.length), answer(res, 400, 'InvalidPayload', problems.slice(0, 10).join('; '));
    let kept = accepted.get(stream);
    if (!kept) accepted.set(stream, (kept = []));
    kept.push(...(records as Record<string, unknown>[]));
    log(204, records.length, json.length);
    answer(res, 204);
  }

  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, Buffer.concat(chunks), res);
      } catch (error) {
        answer(res, 500, 'InternalError', (error as Error).message);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: cert,
    accepted,
    requests,
    configure(change) {
      if (change.replies) replies = [...change.replies];
      if (change.maxBodyBytes !== undefined) maxBodyBytes = change.maxBodyBytes;
      if (change.down !== undefined) down = change.down;
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}

