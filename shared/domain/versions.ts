/**
 * Connected Machine agent versions compare numerically by component
 * (`1.34.02345.1234` ≥ `1.34`); anything else is unparsable, never guessed.
 */
export type AgentVersion = readonly number[];

const VERSION_PATTERN = /^\d+(\.\d+){1,3}$/;

/** The same few versions repeat across a whole estate: parse each text once (bounded, so memory stays flat). */
const parsedVersions = new Map<string, AgentVersion | undefined>();

export function parseAgentVersion(raw: unknown): AgentVersion | undefined {
  if (typeof raw !== 'string') return undefined;
  if (parsedVersions.has(raw)) return parsedVersions.get(raw);
  const version = parseVersionText(raw);
  if (parsedVersions.size >= 10_000) parsedVersions.clear();
  parsedVersions.set(raw, version);
  return version;
}

function parseVersionText(raw: string): AgentVersion | undefined {
  const text = raw.trim();
  if (!VERSION_PATTERN.test(text)) return undefined;
  return Object.freeze(text.split('.').map((part) => Number.parseInt(part, 10)));
}

/** Negative, zero or positive like a comparator; missing trailing components count as 0. */
export function compareVersions(left: AgentVersion, right: AgentVersion): number {
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const formatted = new WeakMap<AgentVersion, string>();

export function formatVersion(version: AgentVersion): string {
  let text = formatted.get(version);
  if (text === undefined) formatted.set(version, (text = version.join('.')));
  return text;
}
