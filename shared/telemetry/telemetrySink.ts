/**
 * The port the scan sends its Log Analytics rows through. Table Storage stays the source of truth: a sink never
 * throws, it reports what it sent, what an earlier attempt had already sent, and what it could not send (the
 * run's row and summary count that), so a failed upload never fails or repeats a scan.
 */
import type { TelemetryRows } from './records.js';

export interface TelemetryUpload {
  /** Rows accepted by this call. */
  readonly sent: number;
  /** Rows skipped because an earlier attempt of the same unit had them accepted (a rerun, a re-delivery). */
  readonly alreadySent: number;
  /** Rows not accepted: the endpoint was down, throttled past its retries, or refused them. */
  readonly notSent: number;
  /** Why, one line per failed part (no secrets: status and service message only). */
  readonly errors: readonly string[];
}

export interface TelemetrySink {
  /**
   * Sends the rows of one unit of work. `unit` names what produced them and is the same on a rerun of the same
   * work (e.g. `<scanId>/<subscriptionId>`): parts of it already accepted are not sent again.
   */
  send(unit: string, rows: TelemetryRows): Promise<TelemetryUpload>;
  /** Everything this sink sent or missed so far (the run's totals). */
  totals(): TelemetryUpload;
}

export const NOTHING_SENT: TelemetryUpload = { sent: 0, alreadySent: 0, notSent: 0, errors: [] };

export function addUploads(a: TelemetryUpload, b: TelemetryUpload): TelemetryUpload {
  return { sent: a.sent + b.sent, alreadySent: a.alreadySent + b.alreadySent, notSent: a.notSent + b.notSent, errors: [...a.errors, ...b.errors].slice(0, 20) };
}

/** Log Analytics ingestion off (no endpoint configured): nothing is built into requests, nothing is counted as missing. */
export const noTelemetry: TelemetrySink = {
  send: async () => NOTHING_SENT,
  totals: () => NOTHING_SENT,
};
