/**
 * How rows are cut into upload parts, deterministically: the same rows give the same parts on every attempt,
 * so an upload ledger keyed by part can tell which were accepted. A part stays under the Logs Ingestion API's
 * 1 MB per call (measured as the SDK measures it, JSON bytes), so the SDK sends each part as one request and a
 * part is accepted or refused whole. A part the service still refuses as too large (413) is halved: `3` into
 * `3.0` and `3.1`, again deterministic.
 */
import type { TelemetryRecord } from './streams.js';

/** Below the SDK's 1,000,000-byte chunk, which counts only the records' own JSON. */
export const MAX_PART_BYTES = 900_000;

export interface UploadPart {
  readonly key: string;
  readonly records: readonly TelemetryRecord[];
}

export function partsOf(records: readonly TelemetryRecord[], maxPartBytes = MAX_PART_BYTES): UploadPart[] {
  const parts: UploadPart[] = [];
  let current: TelemetryRecord[] = [];
  let bytes = 2; // [ ]
  for (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (current.length > 0 && bytes + size > maxPartBytes) {
      parts.push({ key: String(parts.length), records: current });
      current = [];
      bytes = 2;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) parts.push({ key: String(parts.length), records: current });
  return parts;
}

/** The two halves of a part the service refused as too large. */
export function halves(part: UploadPart): [UploadPart, UploadPart] {
  const middle = Math.ceil(part.records.length / 2);
  return [
    { key: `${part.key}.0`, records: part.records.slice(0, middle) },
    { key: `${part.key}.1`, records: part.records.slice(middle) },
  ];
}

/** True when some half (or a half of a half) of this part was accepted earlier: it must be split the same way again. */
export function wasSplit(part: UploadPart, accepted: ReadonlySet<string>): boolean {
  const prefix = `${part.key}.`;
  for (const key of accepted) if (key.startsWith(prefix)) return true;
  return false;
}
