import { asRecord } from '../domain/read.js';
import { compareVersions, parseAgentVersion } from '../domain/versions.js';
import type { AgentAdvisory } from './program.js';

/**
 * Reading the Connected Machine agent's CVE records into advisories: from the CVE List (CVE JSON 5 records,
 * CVEProject/cvelistV5), from an NVD API 2.0 answer (`vulnerabilities[].cve`), or from the captured record set
 * in `sources/cve/connected-machine-agent.json` (`records[]`). Only ranges of the two CPE products of the agent
 * count; anything malformed is a problem, never a guess. Pure: `scripts/refreshAgentAdvisories.ts` does the I/O.
 */
export const AGENT_CPE_PRODUCTS = [
  'cpe:2.3:a:microsoft:azure_connected_machine_agent',
  'cpe:2.3:a:microsoft:arc_enabled_servers_azure_connected_machine_agent',
] as const;

const BOUNDS = ['versionStartIncluding', 'versionStartExcluding', 'versionEndIncluding', 'versionEndExcluding'] as const;
type Bound = (typeof BOUNDS)[number];
type Range = Partial<Record<Bound, string>> & { readonly cpe: string };

export interface AdvisoryReading {
  readonly advisories: readonly AgentAdvisory[];
  readonly problems: readonly string[];
}

function isAgentCpe(criteria: unknown): criteria is string {
  return typeof criteria === 'string' && AGENT_CPE_PRODUCTS.some((product) => criteria.toLowerCase().startsWith(`${product}:`));
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** NVD and CVE JSON 5 `cpeMatch` entries (vulnerable ones) of the agent's products. */
function rangesOfNodes(configurations: unknown): Range[] {
  const ranges: Range[] = [];
  for (const configuration of list(configurations)) {
    for (const node of list(asRecord(configuration)?.['nodes'])) {
      for (const match of list(asRecord(node)?.['cpeMatch'])) {
        const entry = asRecord(match);
        if (!entry || entry['vulnerable'] === false || !isAgentCpe(entry['criteria'])) continue;
        const range: Record<string, string> = { cpe: entry['criteria'] as string };
        for (const bound of BOUNDS) {
          const value = text(entry[bound]);
          if (value !== undefined) range[bound] = value;
        }
        ranges.push(range as Range);
      }
    }
  }
  return ranges;
}

/** CVE JSON 5 `affected[]` entries with an agent CPE: `version` … `lessThan` (or `lessThanOrEqual`). */
function rangesOfAffected(affected: unknown): Range[] {
  const ranges: Range[] = [];
  for (const product of list(affected)) {
    const entry = asRecord(product);
    const cpe = list(entry?.['cpes']).find(isAgentCpe);
    if (!entry || cpe === undefined) continue;
    for (const version of list(entry['versions'])) {
      const item = asRecord(version);
      if (!item || item['status'] !== 'affected') continue;
      const start = text(item['version']);
      const below = text(item['lessThan']);
      const upTo = text(item['lessThanOrEqual']);
      ranges.push({ cpe, ...(start ? { versionStartIncluding: start } : {}), ...(below ? { versionEndExcluding: below } : {}), ...(upTo ? { versionEndIncluding: upTo } : {}) });
    }
  }
  return ranges;
}

function cweOf(values: readonly unknown[]): string | undefined {
  return values.map((value) => (typeof value === 'string' ? /\bCWE-\d+\b/.exec(value)?.[0] : undefined)).find((cwe) => cwe !== undefined);
}

function msrcUrl(references: unknown, id: string): string {
  const urls = list(references).map((reference) => text(asRecord(reference)?.['url'])).filter((url): url is string => url !== undefined);
  return urls.find((url) => url.startsWith('https://msrc.microsoft.com/')) ?? `https://www.cve.org/CVERecord?id=${id}`;
}

interface RawAdvisory {
  readonly id: unknown;
  readonly published: unknown;
  readonly title: unknown;
  readonly cwe: unknown;
  readonly url: unknown;
  readonly ranges: readonly Range[];
}

function fromCaptured(record: Record<string, unknown>): RawAdvisory {
  const range: Record<string, string> = { cpe: String(record['cpe'] ?? '') };
  for (const bound of BOUNDS) if (typeof record[bound] === 'string') range[bound] = record[bound];
  return { id: record['cveId'], published: record['datePublished'], title: record['title'], cwe: record['cwe'], url: record['url'], ranges: isAgentCpe(record['cpe']) ? [range as Range] : [] };
}

function fromNvd(cve: Record<string, unknown>): RawAdvisory {
  const id = text(cve['id']) ?? '';
  const english = list(cve['descriptions']).map(asRecord).find((description) => description?.['lang'] === 'en');
  const weaknesses = list(cve['weaknesses']).flatMap((weakness) => list(asRecord(weakness)?.['description']).map((description) => asRecord(description)?.['value']));
  return { id: cve['id'], published: cve['published'], title: english?.['value'], cwe: cweOf(weaknesses), url: msrcUrl(cve['references'], id), ranges: rangesOfNodes(cve['configurations']) };
}

function fromCve5(record: Record<string, unknown>): RawAdvisory {
  const metadata = asRecord(record['cveMetadata']) ?? {};
  const cna = asRecord(asRecord(record['containers'])?.['cna']) ?? {};
  const id = text(metadata['cveId']) ?? '';
  const cwes = list(cna['problemTypes']).flatMap((type) => list(asRecord(type)?.['descriptions']).map((description) => asRecord(description)?.['cweId']));
  const fromNodes = rangesOfNodes(cna['cpeApplicability']);
  return { id: metadata['cveId'], published: metadata['datePublished'], title: cna['title'], cwe: cweOf(cwes), url: msrcUrl(cna['references'], id), ranges: fromNodes.length > 0 ? fromNodes : rangesOfAffected(cna['affected']) };
}

/** The records in one parsed JSON document, whatever of the three shapes (or an array of them) it is. */
function rawRecords(document: unknown, where: string, problems: string[]): RawAdvisory[] {
  if (Array.isArray(document)) return document.flatMap((item, index) => rawRecords(item, `${where}[${index}]`, problems));
  const root = asRecord(document);
  if (root && Array.isArray(root['records'])) return root['records'].flatMap((record) => (asRecord(record) ? [fromCaptured(asRecord(record)!)] : []));
  if (root && Array.isArray(root['vulnerabilities'])) {
    return root['vulnerabilities'].flatMap((item) => {
      const cve = asRecord(asRecord(item)?.['cve']);
      return cve ? [fromNvd(cve)] : [];
    });
  }
  if (root && asRecord(root['cveMetadata'])) return [fromCve5(root)];
  problems.push(`${where}: neither a CVE JSON 5 record, an NVD API 2.0 answer nor a captured record set`);
  return [];
}

const DAY = /^\d{4}-\d{2}-\d{2}/;

function validated(raw: RawAdvisory, problems: string[]): AgentAdvisory[] {
  const id = text(raw.id);
  if (!id || !/^CVE-\d{4}-\d{4,}$/.test(id)) {
    problems.push(`a record without a CVE id (${JSON.stringify(raw.id)})`);
    return [];
  }
  const published = text(raw.published);
  const day = published !== undefined && DAY.test(published) ? published.slice(0, 10) : undefined;
  const title = text(raw.title);
  const cwe = text(raw.cwe);
  const url = text(raw.url);
  const missing = [day ? undefined : 'publication date', title ? undefined : 'title', cwe ? undefined : 'CWE', url?.startsWith('https://') ? undefined : 'https link'].filter(Boolean);
  if (day !== undefined && Number.isNaN(Date.parse(`${day}T00:00:00Z`))) missing.push('valid publication date');
  if (missing.length > 0) {
    problems.push(`${id}: no ${missing.join(', ')}`);
    return [];
  }
  const advisories: AgentAdvisory[] = [];
  for (const range of raw.ranges) {
    const bounds = BOUNDS.filter((bound) => range[bound] !== undefined);
    const unparsable = bounds.filter((bound) => parseAgentVersion(range[bound]) === undefined);
    if (unparsable.length > 0) problems.push(`${id}: ${unparsable.map((bound) => `${bound} "${range[bound]}"`).join(', ')} is not a version`);
    else if (!bounds.some((bound) => bound.startsWith('versionEnd'))) problems.push(`${id}: the range of ${range.cpe} has no upper bound`);
    else advisories.push({ id, title: title!, published: day!, cwe: cwe!, cpe: range.cpe, ...Object.fromEntries(bounds.map((bound) => [bound, range[bound]])), url: url! });
  }
  return advisories;
}

/** Advisories of the agent's products in the given documents, one per record and range, by date then id. */
export function advisoriesFromRecords(documents: readonly { readonly name: string; readonly document: unknown }[]): AdvisoryReading {
  const problems: string[] = [];
  const byKey = new Map<string, AgentAdvisory>();
  for (const { name, document } of documents) {
    for (const raw of rawRecords(document, name, problems)) {
      for (const advisory of validated(raw, problems)) {
        // The same record from two sources (CVE List and NVD) is one advisory.
        const key = JSON.stringify([advisory.id, advisory.cpe, ...BOUNDS.map((bound) => advisory[bound] ?? null)]);
        if (!byKey.has(key)) byKey.set(key, advisory);
      }
    }
  }
  const advisories = [...byKey.values()].sort((left, right) => left.published.localeCompare(right.published) || left.id.localeCompare(right.id) || left.cpe.localeCompare(right.cpe));
  return { advisories, problems };
}

/** Whether `version` lies in the advisory's range, each stated bound compared component by component. */
export function advisoryAffects(advisory: AgentAdvisory, version: readonly number[]): boolean {
  // A stated bound that is not a version makes the range unreadable: nothing is claimed affected by it.
  if (BOUNDS.some((bound) => advisory[bound] !== undefined && parseAgentVersion(advisory[bound]) === undefined)) return false;
  const compare = (bound: string | undefined): number | undefined => {
    const parsed = parseAgentVersion(bound);
    return parsed === undefined ? undefined : compareVersions(version, parsed);
  };
  const checks: [number | undefined, (difference: number) => boolean][] = [
    [compare(advisory.versionStartIncluding), (difference) => difference >= 0],
    [compare(advisory.versionStartExcluding), (difference) => difference > 0],
    [compare(advisory.versionEndIncluding), (difference) => difference <= 0],
    [compare(advisory.versionEndExcluding), (difference) => difference < 0],
  ];
  if (advisory.versionEndIncluding === undefined && advisory.versionEndExcluding === undefined) return false;
  return checks.every(([difference, holds]) => difference === undefined || holds(difference));
}

/** The first release outside the range (`versionEndExcluding`), or the last affected one as "above X". */
export function fixedReleaseOf(advisory: AgentAdvisory): string | undefined {
  return advisory.versionEndExcluding ?? (advisory.versionEndIncluding === undefined ? undefined : `above ${advisory.versionEndIncluding}`);
}

/** The TypeScript module `shared/programs/agentAdvisories.ts`, as the refresh script writes it. */
export function renderAdvisoryModule(advisories: readonly AgentAdvisory[], sources: readonly string[]): string {
  const lines = advisories.map((advisory) => `  ${JSON.stringify(advisory)},`);
  return [
    '// Generated by `npm run advisories -- <CVE JSON 5 / NVD JSON files or folders>` (scripts/refreshAgentAdvisories.ts);',
    '// do not edit by hand. The CVE records of the Azure Connected Machine agent',
    `// (${AGENT_CPE_PRODUCTS.join(', ')}), read from: ${sources.join(', ')}.`,
    "import type { AgentAdvisory } from './program.js';",
    '',
    '/** Published CVE records of the Connected Machine agent: an agent in a record\'s range is affected from its publication day. */',
    'export const AGENT_ADVISORIES: readonly AgentAdvisory[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}
