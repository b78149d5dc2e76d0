/**
 * The telemetry sink on the Logs Ingestion API: the real `LogsIngestionClient` (@azure/monitor-ingestion) with
 * the app's credential. The SDK's pipeline retries 429 and 503 after their Retry-After; this adds what the SDK
 * does not: parts cut deterministically and recorded in an upload ledger once accepted (a rerun sends only the
 * rest), a 413 that halves the part, and an endpoint that is down: after a transport failure or 5xx/429 past the
 * retries, rows are counted as not sent without waiting again for `downForMs` (the rest of a run, not forever:
 * a Functions process keeps one sink across invocations).
 */
import type { TokenCredential } from '@azure/core-auth';
import { isAggregateLogsUploadError, LogsIngestionClient } from '@azure/monitor-ingestion';
import type { TelemetryRows } from '../../telemetry/records.js';
import { streamOf, TELEMETRY_TABLES, type TelemetryKind } from '../../telemetry/streams.js';
import { addUploads, NOTHING_SENT, type TelemetrySink, type TelemetryUpload } from '../../telemetry/telemetrySink.js';
import { halves, MAX_PART_BYTES, partsOf, wasSplit, type UploadPart } from '../../telemetry/uploadParts.js';
import type { UploadLedger } from '../../telemetry/uploadLedger.js';

export interface LogsIngestionConnection {
  /** The data collection endpoint's logs ingestion URL (ESU_LOGS_INGESTION_ENDPOINT). */
  readonly endpoint: string;
  /** The rule's immutable id, `dcr-…` (ESU_LOGS_INGESTION_RULE_ID). */
  readonly ruleId: string;
  readonly credential: TokenCredential;
  /** Extra CA to trust (the loopback stand-in's self-signed certificate). */
  readonly trustedCa?: string;
  /** Token audience; default the public cloud's (https://monitor.azure.com). */
  readonly audience?: string;
  /** SDK retries of 429/503/transport failures (default 3, from 1 s, at most 30 s apart). */
  readonly retry?: { readonly maxRetries?: number; readonly retryDelayInMs?: number; readonly maxRetryDelayInMs?: number };
  readonly maxPartBytes?: number;
  /** How long an endpoint found down is not tried again (default 5 minutes). */
  readonly downForMs?: number;
}

const KINDS = Object.keys(TELEMETRY_TABLES) as TelemetryKind[];

export function createLogsIngestionSink(connection: LogsIngestionConnection, ledger: UploadLedger): TelemetrySink {
  const client = new LogsIngestionClient(connection.endpoint, connection.credential, {
    ...(connection.audience ? { audience: connection.audience } : {}),
    retryOptions: { maxRetries: connection.retry?.maxRetries ?? 3, retryDelayInMs: connection.retry?.retryDelayInMs ?? 1000, maxRetryDelayInMs: connection.retry?.maxRetryDelayInMs ?? 30_000 },
    ...(connection.trustedCa ? { tlsOptions: { ca: connection.trustedCa } } : {}),
  });
  const maxPartBytes = connection.maxPartBytes ?? MAX_PART_BYTES;
  const downForMs = connection.downForMs ?? 5 * 60_000;
  let down: { reason: string; until: number } | undefined;
  const isDown = (): boolean => {
    if (down && Date.now() >= down.until) down = undefined;
    return down !== undefined;
  };
  let totals = NOTHING_SENT;

  async function sendStream(unit: string, kind: TelemetryKind, records: TelemetryRows[TelemetryKind]): Promise<TelemetryUpload> {
    if (!records || records.length === 0) return NOTHING_SENT;
    const stream = streamOf(kind);
    if (isDown()) return { ...NOTHING_SENT, notSent: records.length };
    let accepted: ReadonlySet<string>;
    try {
      accepted = await ledger.acceptedParts(unit, stream);
    } catch (error) {
      // Without the ledger a send could repeat rows already accepted: keep them for the next attempt instead.
      return { ...NOTHING_SENT, notSent: records.length, errors: [`${stream}: upload ledger unreadable (${messageOf(error)}); not sent`] };
    }
    let result = NOTHING_SENT;
    const sendPart = async (part: UploadPart): Promise<void> => {
      if (accepted.has(part.key)) {
        result = addUploads(result, { ...NOTHING_SENT, alreadySent: part.records.length });
        return;
      }
      if (part.records.length > 1 && wasSplit(part, accepted)) {
        for (const half of halves(part)) await sendPart(half);
        return;
      }
      if (isDown()) {
        result = addUploads(result, { ...NOTHING_SENT, notSent: part.records.length });
        return;
      }
      try {
        await client.upload(connection.ruleId, stream, part.records as Record<string, unknown>[], { maxConcurrency: 1 });
      } catch (error) {
        const status = statusOf(error);
        if (status === 413 && part.records.length > 1) {
          for (const half of halves(part)) await sendPart(half);
          return;
        }
        const reason = `${stream} part ${part.key}: ${status ? `HTTP ${status}` : 'no answer'} (${messageOf(error)})`;
        if (status === undefined || status === 429 || status >= 500) down = { reason, until: Date.now() + downForMs };
        result = addUploads(result, { ...NOTHING_SENT, notSent: part.records.length, errors: [reason] });
        return;
      }
      result = addUploads(result, { ...NOTHING_SENT, sent: part.records.length });
      try {
        await ledger.recordAccepted(unit, stream, part.key, part.records.length);
      } catch (error) {
        result = addUploads(result, { ...NOTHING_SENT, errors: [`${stream} part ${part.key}: sent, but not recorded in the upload ledger (${messageOf(error)}); a rerun may send it again`] });
      }
    };
    for (const part of partsOf(records, maxPartBytes)) await sendPart(part);
    return result;
  }

  return {
    async send(unit, rows) {
      let upload = NOTHING_SENT;
      for (const kind of KINDS) upload = addUploads(upload, await sendStream(unit, kind, rows[kind]));
      totals = addUploads(totals, upload);
      return upload;
    },
    totals: () => totals,
  };
}

function statusOf(error: unknown): number | undefined {
  const cause = isAggregateLogsUploadError(error) ? error.errors[0]?.cause : error;
  const status = (cause as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(error: unknown): string {
  const cause = isAggregateLogsUploadError(error) ? error.errors[0]?.cause : error;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
