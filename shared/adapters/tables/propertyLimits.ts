import type { Evidence } from '../../domain/findings.js';

/** Table Storage: a string property holds at most 64 KiB, i.e. 32K UTF-16 characters (Azurite checks 32,768). */
export const MAX_PROPERTY_CHARS = 32_000;
/** Evidence values longer than this are cut first, so a too-long evidence stays JSON whose fields can be queried. */
const EVIDENCE_VALUE_CHARS = 2_000;

/** Text over `limit` keeps its start and says how much was left out (the marker counts in the limit). */
export function fitText(text: string, limit = MAX_PROPERTY_CHARS): string {
  if (text.length <= limit) return text;
  const marker = ` …[truncated: ${text.length} characters in all]`;
  return `${cutAt(text, limit - marker.length)}${marker}`;
}

/** Evidence as its column: JSON, with over-long string values cut when the whole would not fit. */
export function evidenceText(evidence: Evidence): string {
  const json = JSON.stringify(evidence);
  if (json.length <= MAX_PROPERTY_CHARS) return json;
  const cut: Record<string, Evidence[string]> = {};
  for (const key of Object.keys(evidence)) {
    const value = evidence[key];
    cut[key] = typeof value === 'string' ? fitText(value, EVIDENCE_VALUE_CHARS) : value;
  }
  const shorter = JSON.stringify(cut);
  return shorter.length <= MAX_PROPERTY_CHARS ? shorter : JSON.stringify({ truncated: fitText(json, MAX_PROPERTY_CHARS - 20) });
}

/** Text in pieces of at most `size` characters (for a value stored over several columns), never splitting a surrogate pair. */
export function splitText(text: string, size = MAX_PROPERTY_CHARS): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length;) {
    const part = cutAt(text.slice(start), size);
    parts.push(part);
    start += part.length;
  }
  return parts.length > 0 ? parts : [''];
}

function cutAt(text: string, length: number): string {
  if (text.length <= length) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(length - 1)) ? length - 1 : length;
  return text.slice(0, end);
}
