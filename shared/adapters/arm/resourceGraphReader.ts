import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import { ResourceGraphClient, type ResourceGraphModels } from '@azure/arm-resourcegraph';
import { asRecord } from '../../domain/read.js';
import { parseAssessmentRow, parseEsuGuestAssignment, subscriptionIdOfChild, type EsuGuestAssignmentRow, type RowResult } from '../../domain/patchEvidence.js';
import { ESU_POLICY_DEFINITIONS } from '../../programs/catalogue.js';
import { MalformedResponseError } from '../../scan/readErrors.js';
import type { PatchEvidenceQueries, ResourceGraphAnswer } from '../../scan/armPorts.js';

/**
 * Azure Update Manager assessments of Arc machines, from Resource Graph. Per-patch rows are asked for only
 * when they are security or critical updates (the KBs an ESU finding lists); summary rows always.
 * The README's estate section documents this text and how to capture its answer with `az graph query`.
 */
export const PATCH_ASSESSMENT_QUERY = [
  'patchassessmentresources',
  "| where type in~ ('microsoft.hybridcompute/machines/patchassessmentresults', 'microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches')",
  "| where type =~ 'microsoft.hybridcompute/machines/patchassessmentresults' or tostring(properties.classifications) has 'Security' or tostring(properties.classifications) has 'Critical'",
  '| project id, type, properties',
  '| order by id asc',
].join('\n');

/**
 * The ESU guest configuration assignments (machine configuration `PendingESUUpdates`) of Azure VMs and Arc
 * machines: Microsoft documents `guestconfigurationresources` for "Azure virtual machines and Arc connected
 * servers" (Resource Graph sample queries for machine configuration). A policy's assignment is named
 * `PendingESUUpdates$pid…`; the parser keeps the Arc machines' ones. The README documents its capture.
 */
export const GUEST_CONFIGURATION_QUERY = [
  'guestconfigurationresources',
  "| where type =~ 'microsoft.guestconfiguration/guestconfigurationassignments'",
  `| where name =~ '${ESU_POLICY_DEFINITIONS.esuPatchesGuestConfiguration}' or name startswith '${ESU_POLICY_DEFINITIONS.esuPatchesGuestConfiguration}$'`,
  '| project id, name, properties',
  '| order by id asc',
].join('\n');

/** Resource Graph pages hold at most 1,000 rows; a request names at most 1,000 subscriptions (as `az graph query` batches them). */
export const RESOURCE_GRAPH_PAGE_ROWS = 1000;
const SUBSCRIPTIONS_PER_QUERY = 1000;
const MAX_PAGES = 10_000;

export interface ResourceGraphConnection {
  readonly endpoint: string;
  readonly credential: TokenCredential;
  /** Extra CA (PEM) to trust, for a loopback stand-in only. */
  readonly trustedCa?: string;
  /** Attempts of a throttled (429) request before its error stands (default 5). */
  readonly maxAttempts?: number;
}

/** Patch evidence from Resource Graph: one query per source, paged and within Resource Graph's own quota. */
export interface ResourceGraphReader extends PatchEvidenceQueries {
  /** Requests sent and 429 answers seen, for the benchmark's figures. */
  readonly metrics: { readonly requests: number; readonly throttled: number };
  close(): void;
}

type RequestPolicyFactory = Exclude<NonNullable<ResourceGraphModels.ResourceGraphClientOptions['requestPolicyFactories']>, (...args: never[]) => unknown>[number];
type RequestPolicy = ReturnType<RequestPolicyFactory['create']>;

/**
 * Resource Graph's own quota (per user, per tenant), separate from ARM's read budget: every answer says how many
 * requests are left in the window (`x-ms-user-quota-remaining`) and when it resets (`x-ms-user-quota-resets-after`,
 * hh:mm:ss). With none left the next request waits for the reset; a 429 is retried after it.
 */
export class ResourceGraphQuota {
  requests = 0;
  throttled = 0;
  private remaining: number | undefined;
  private resetsAt = 0;

  constructor(private readonly maxAttempts = 5, private readonly sleep: (ms: number) => Promise<void> = delay) {}

  policy(): RequestPolicyFactory {
    return {
      create: (next: RequestPolicy): RequestPolicy => ({
        sendRequest: async (request) => {
          let response!: Awaited<ReturnType<RequestPolicy['sendRequest']>>;
          for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
            await this.waitForQuota();
            this.requests += 1;
            let throttledError: unknown;
            try {
              response = await next.sendRequest(request.clone());
            } catch (error) {
              // ms-rest-js turns an error status into a RestError inside the pipeline; a 429 carries its answer.
              const answer = (error as { statusCode?: number; response?: typeof response }).response;
              if ((error as { statusCode?: number }).statusCode !== 429 || !answer) throw error;
              response = answer;
              throttledError = error;
            }
            this.observe(response.headers.get('x-ms-user-quota-remaining'), response.headers.get('x-ms-user-quota-resets-after'));
            if (response.status !== 429) return response;
            if (attempt === this.maxAttempts && throttledError) throw throttledError;
            this.throttled += 1;
            // Without a reset time, at least empty the window and back off.
            if (this.resetsAt <= Date.now()) this.resetsAt = Date.now() + Math.min(30_000, 1000 * 2 ** (attempt - 1));
            this.remaining = 0;
          }
          return response;
        },
      }),
    };
  }

  private observe(remaining: string | undefined, resetsAfter: string | undefined): void {
    const count = remaining === undefined ? NaN : Number(remaining);
    if (Number.isFinite(count)) this.remaining = count;
    const ms = parseResetsAfter(resetsAfter);
    if (ms !== undefined) this.resetsAt = Date.now() + ms;
  }

  private async waitForQuota(): Promise<void> {
    if (this.remaining !== undefined && this.remaining <= 0) {
      const wait = this.resetsAt - Date.now();
      if (wait > 0) await this.sleep(wait);
      this.remaining = undefined;
    }
  }
}

/** `00:00:05` → 5000 ms; undefined when absent or not hh:mm:ss. */
export function parseResetsAfter(value: string | undefined): number | undefined {
  const match = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return Math.round(((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000);
}

export function createResourceGraphReader(connection: ResourceGraphConnection): ResourceGraphReader {
  const endpoint = connection.endpoint.replace(/\/+$/, '');
  const quota = new ResourceGraphQuota(connection.maxAttempts);
  const httpsAgent = connection.trustedCa ? new HttpsAgent({ ca: connection.trustedCa, keepAlive: true }) : undefined;
  // @azure/arm-resourcegraph 4.x (ms-rest-js): 5.x needs Node 22, and the app is tested on Node 20 too.
  const client = new ResourceGraphClient(connection.credential, {
    baseUri: endpoint,
    requestPolicyFactories: (defaults) => [quota.policy(), ...defaults],
    ...(httpsAgent ? { agentSettings: { http: new HttpAgent(), https: httpsAgent } } : {}),
  });
  const url = `${endpoint}/providers/Microsoft.ResourceGraph/resources`;

  async function queryBatch<T>(query: string, subscriptions: readonly string[], into: Answer<T>): Promise<void> {
    let skipToken: string | undefined;
    const seenTokens = new Set<string>();
    let total: number | undefined;
    let received = 0;
    for (let page = 0; ; page += 1) {
      if (page >= MAX_PAGES) throw new MalformedResponseError(url, `Resource Graph returned more than ${MAX_PAGES} pages; the rest was not read`);
      const response = await client.resources({
        query,
        subscriptions: [...subscriptions],
        options: { top: RESOURCE_GRAPH_PAGE_ROWS, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
      });
      // The raw body, not the SDK's model: its deserialiser does not insist on the fields an answer needs.
      const body = asRecord(response._response.parsedBody ?? parseJson(response._response.bodyAsText));
      const data = body?.['data'];
      if (!body || !Array.isArray(data)) throw new MalformedResponseError(url, 'Resource Graph answer has no "data" array of rows');
      const count = body['count'];
      if (typeof count === 'number' && count !== data.length) throw new MalformedResponseError(url, `Resource Graph answer says count ${count} but holds ${data.length} rows`);
      const truncated = body['resultTruncated'];
      if (truncated === true || truncated === 'true') throw new MalformedResponseError(url, 'Resource Graph truncated the result (resultTruncated); the rest was not read');
      const pageTotal = body['totalRecords'];
      if (typeof pageTotal !== 'number' || !Number.isInteger(pageTotal) || pageTotal < 0) throw new MalformedResponseError(url, 'Resource Graph answer has no totalRecords');
      total ??= pageTotal;
      received += data.length;
      for (const raw of data) into.add(raw);
      const next = body['$skipToken'] ?? body['skipToken'];
      if (next === undefined || next === null || next === '') break;
      if (typeof next !== 'string') throw new MalformedResponseError(url, '$skipToken is not a string');
      if (seenTokens.has(next)) throw new MalformedResponseError(url, `Resource Graph paging repeats a $skipToken (after ${page + 1} page(s))`);
      seenTokens.add(next);
      skipToken = next;
    }
    if (received !== total) throw new MalformedResponseError(url, `Resource Graph announced ${total} rows but returned ${received}: the answer is partial`);
  }

  async function queryAll<T>(query: string, subscriptionIds: readonly string[], parse: (raw: unknown) => RowResult<T | undefined>): Promise<Answer<T>> {
    const answer = new Answer(subscriptionIds, parse);
    for (let from = 0; from < subscriptionIds.length; from += SUBSCRIPTIONS_PER_QUERY) {
      await queryBatch(query, subscriptionIds.slice(from, from + SUBSCRIPTIONS_PER_QUERY), answer);
    }
    return answer;
  }

  return {
    get metrics() {
      return { requests: quota.requests, throttled: quota.throttled };
    },
    queryPatchAssessments: (subscriptionIds) => queryAll(PATCH_ASSESSMENT_QUERY, subscriptionIds, parseAssessmentRow),
    queryGuestConfigurations: (subscriptionIds) =>
      queryAll(GUEST_CONFIGURATION_QUERY, subscriptionIds, (raw): RowResult<EsuGuestAssignmentRow | undefined> => parseEsuGuestAssignment(raw, ESU_POLICY_DEFINITIONS.esuPatchesGuestConfiguration)),
    close: () => httpsAgent?.destroy(),
  };
}

/**
 * Rows grouped by subscription, parsed as they come (a row the parser leaves out is dropped); a row of no scanned
 * subscription, or without an id, makes the whole answer malformed.
 */
class Answer<T> implements ResourceGraphAnswer<T> {
  private readonly rows = new Map<string, T[]>();
  private readonly problems = new Map<string, string[]>();

  constructor(subscriptionIds: readonly string[], private readonly parse: (raw: unknown) => RowResult<T | undefined>) {
    for (const id of subscriptionIds) this.rows.set(id.toLowerCase(), []);
  }

  add(raw: unknown): void {
    const id = asRecord(raw)?.['id'];
    const subscriptionId = typeof id === 'string' ? subscriptionIdOfChild(id) : undefined;
    const rows = subscriptionId === undefined ? undefined : this.rows.get(subscriptionId);
    if (!subscriptionId || !rows) {
      throw new MalformedResponseError('/providers/Microsoft.ResourceGraph/resources', `Resource Graph returned a row of no queried subscription: ${typeof id === 'string' ? id.slice(0, 300) : 'a row without id'}`);
    }
    const parsed = this.parse(raw);
    if (parsed.ok) {
      if (parsed.value !== undefined) rows.push(parsed.value);
    } else {
      const list = this.problems.get(subscriptionId) ?? [];
      if (list.length < 3) list.push(parsed.reason);
      else if (list.length === 3) list.push('…');
      this.problems.set(subscriptionId, list);
    }
  }

  rowsOf(subscriptionId: string): readonly T[] {
    return this.rows.get(subscriptionId.toLowerCase()) ?? [];
  }

  takeRowsOf(subscriptionId: string): readonly T[] {
    const rows = this.rowsOf(subscriptionId);
    this.rows.set(subscriptionId.toLowerCase(), []);
    return rows;
  }

  problemsOf(subscriptionId: string): readonly string[] {
    return this.problems.get(subscriptionId.toLowerCase()) ?? [];
  }
}

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
