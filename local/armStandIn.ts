// An HTTPS Azure Resource Manager stand-in on loopback that serves an "estate directory" (files captured
// with `az rest`) or a generated synthetic estate, so the real Azure SDK clients can be exercised without
// Azure. HTTPS is required because the SDKs' bearer-token policy refuses to send tokens over plain http.
// Optionally it behaves like ARM under load: added latency, per-principal read throttling (429 with
// Retry-After) and deterministic faults (503s, slow pages).
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFile, readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loopbackCertificate } from './loopbackCertificate.js';
import { FaultInjector, serviceUnavailable, type FaultOptions } from './armFaults.js';
import { armErrors } from './armErrors.js';
import { fromError, pagedReply, queryParam, type PageRequest, type Reply } from './armReplies.js';
import { ArmThrottle, remainingReadsHeader, tooManyRequests, type ThrottleOptions } from './armThrottle.js';
import { SyntheticEstate, type SyntheticEstateOptions } from './syntheticEstate.js';
import { syntheticRoute } from './syntheticRoutes.js';
import { estateRows, parseResourceGraphQuery, RESOURCE_GRAPH_PATH, resourceGraphPage, resourceGraphThrottled } from './resourceGraphRoute.js';

export type { FaultOptions, SyntheticEstateOptions, ThrottleOptions };

export interface ArmStandInOptions {
  /** Estate-folder mode: serve captured responses from this directory. */
  estateDir?: string;
  /** Synthetic mode: generate the estate (exactly one of `estateDir` and `synthetic`). */
  synthetic?: SyntheticEstateOptions;
  pageSize?: number /* default 100 */;
  /** Added to every response (default 0). */
  latencyMs?: number;
  /** ARM-like token bucket per subscription per principal (the bearer token); 429 + Retry-After when empty. */
  throttle?: ThrottleOptions;
  /** Deterministic 503s and slow pages. */
  faults?: FaultOptions;
  /** Rows per Resource Graph page (default 1,000, Resource Graph's largest). */
  resourceGraphPageSize?: number;
  /** Answer the first Resource Graph request 429 with these quota headers (`x-ms-user-quota-resets-after`, e.g. `00:00:01`). */
  resourceGraphThrottleOnce?: { resetsAfter: string };
}

export interface ArmPathStats {
  requests: number;
  throttled: number;
  faults503: number;
  slowPages: number;
}

export interface ArmStandInStats extends ArmPathStats {
  /** By path template, e.g. `/subscriptions/{s}/providers/microsoft.hybridcompute/machines`. */
  byPath: Record<string, ArmPathStats>;
}

export interface ArmRequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
}

export interface ArmStandIn {
  readonly endpoint: string;
  readonly ca: string;
  readonly requests: readonly ArmRequestRecord[];
  /** A snapshot of the counters. */
  readonly stats: ArmStandInStats;
  /** Synthetic mode only: the estate being served. */
  readonly synthetic?: SyntheticEstate;
  close(): Promise<void>;
}

/**
 * A list file is either a proper `{ value: [...] }` list or anything else, which is served verbatim. A list
 * whose `nextLink` is a path (`/subscriptions/...`, not a captured absolute URL) is served whole with that
 * link on the stand-in's own endpoint: an estate can so describe paging that loops.
 */
type ListFile = { kind: 'list'; items: unknown[]; nextPath?: string } | { kind: 'raw'; text: string };

const HYBRID_COMPUTE = 'microsoft.hybridcompute';
const HYBRID_COMPUTE_LISTS = new Set(['machines', 'licenses']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function classifyListFile(text: string | undefined): ListFile {
  if (text === undefined) return { kind: 'list', items: [] };
  try {
    const parsed: unknown = JSON.parse(text);
    // nextLink in the file is ignored: az rest captured only the first page, so `value` is the whole list.
    if (isRecord(parsed) && Array.isArray(parsed.value)) {
      const nextPath = typeof parsed.nextLink === 'string' && parsed.nextLink.startsWith('/') ? parsed.nextLink : undefined;
      return { kind: 'list', items: parsed.value, ...(nextPath ? { nextPath } : {}) };
    }
  } catch {
    // fall through: malformed files are served raw so the scanner's handling of them can be tested
  }
  return { kind: 'raw', text };
}

function parseErrorFile(text: string | undefined, where: string): Reply | undefined {
  if (text === undefined) return undefined;
  const parsed: unknown = JSON.parse(text);
  const status = isRecord(parsed) ? parsed.status : undefined;
  if (!isRecord(parsed) || typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new Error(`${where} must be {"status": <200-599>, "body": ..., "headers"?: {...}}`);
  }
  const headers: Record<string, string> = {};
  if (isRecord(parsed.headers)) for (const [k, v] of Object.entries(parsed.headers)) headers[k.toLowerCase()] = String(v);
  return { status, body: JSON.stringify(parsed.body ?? null), headers };
}

/** Lazily read, cached view of an estate directory (an estate is immutable while served). */
function openEstate(estateDir: string) {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let pending = cache.get(key) as Promise<T> | undefined;
    if (!pending) cache.set(key, (pending = load()));
    return pending;
  };
  const readText = async (rel: string): Promise<string | undefined> => {
    try {
      return await readFile(join(estateDir, rel), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  const list = (rel: string) => once(`list:${rel}`, async () => classifyListFile(await readText(rel)));
  // Lower-cased name -> real directory name: ARM paths are case-insensitive, the file system is not.
  const directories = () =>
    once('dirs', async () => {
      const entries = await readdir(estateDir, { withFileTypes: true });
      return new Map(entries.filter((e) => e.isDirectory()).map((e) => [e.name.toLowerCase(), e.name]));
    });
  const listedSubscriptions = () =>
    once('listed', async () => {
      const file = await list('subscriptions.json');
      const ids = file.kind === 'list' ? file.items.map((s) => (isRecord(s) ? s.subscriptionId : undefined)) : [];
      return new Set(ids.filter((id): id is string => typeof id === 'string').map((id) => id.toLowerCase()));
    });
  const errorOf = (dir: string) =>
    once(`error:${dir}`, async () => parseErrorFile(await readText(join(dir, 'error.json')), `${dir}/error.json`));
  return { list, directories, listedSubscriptions, errorOf, readText };
}

type Estate = ReturnType<typeof openEstate>;

async function estateRoute(estate: Estate, request: PageRequest): Promise<Reply> {
  const pathname = request.url.pathname.replace(/\/+$/, '');
  const segments = pathname.split('/').slice(1);
  const lower = segments.map((s) => s.toLowerCase());
  const noRoute = fromError(armErrors.noRoute(pathname));

  const serveList = async (rel: string | undefined): Promise<Reply> => {
    const file: ListFile = rel === undefined ? { kind: 'list', items: [] } : await estate.list(rel);
    if (file.kind === 'raw') return { status: 200, body: file.text };
    if (file.nextPath) return { status: 200, body: JSON.stringify({ value: file.items, nextLink: `${request.endpoint}${file.nextPath}` }) };
    return pagedReply(request, file.items.length, (from, to) => file.items.slice(from, to));
  };

  // POST /providers/Microsoft.ResourceGraph/resources → resourceGraph/<the query's table>.json (missing = no rows)
  if (pathname.toLowerCase() === RESOURCE_GRAPH_PATH) {
    const query = parseResourceGraphQuery(request.body ?? '');
    if ('status' in query) return query;
    const listed = await estate.listedSubscriptions();
    const dirs = await estate.directories();
    // Subscriptions that answer an injected error (no access) contribute no rows, as Resource Graph skips them.
    const readable: string[] = [];
    for (const id of query.subscriptions) {
      const dir = dirs.get(id);
      if ((dir !== undefined || listed.has(id)) && !(dir !== undefined && (await estate.errorOf(dir)))) readable.push(id);
    }
    const rows = estateRows(await estate.readText(join('resourceGraph', `${query.table}.json`)), { ...query, subscriptions: readable });
    return 'raw' in rows ? { status: 200, body: rows.raw } : resourceGraphPage(rows, query, request.resourceGraphPageSize);
  }
  if (lower[0] !== 'subscriptions') return noRoute;
  if (segments.length === 1) return serveList('subscriptions.json');

  const subscriptionId = lower[1] ?? '';
  const dir = (await estate.directories()).get(subscriptionId);
  if (dir === undefined && !(await estate.listedSubscriptions()).has(subscriptionId)) {
    return fromError(armErrors.subscriptionNotFound(segments[1] ?? ''));
  }
  const injected = dir === undefined ? undefined : await estate.errorOf(dir);
  if (injected) return injected;

  const rest = lower.slice(2);
  // Resource groups (for the parallel reads of a large subscription): the groups of the machines file, in its order.
  if (rest[0] === 'resourcegroups' && (rest.length === 1 || (rest.length === 5 && rest[2] === 'providers' && rest[3] === HYBRID_COMPUTE && rest[4] === 'machines'))) {
    const machines: ListFile = dir === undefined ? { kind: 'list', items: [] } : await estate.list(join(dir, 'machines.json'));
    if (machines.kind === 'raw') return { status: 200, body: machines.text };
    const groupOf = (item: unknown) => (isRecord(item) && typeof item.id === 'string' ? /\/resourcegroups\/([^/]+)\//i.exec(item.id)?.[1] : undefined);
    if (rest.length === 5) {
      const inGroup = machines.items.filter((item) => groupOf(item)?.toLowerCase() === rest[1]);
      return pagedReply(request, inGroup.length, (from, to) => inGroup.slice(from, to));
    }
    const names = [...new Map(machines.items.flatMap((item) => groupOf(item) ?? []).map((name) => [name.toLowerCase(), name])).values()];
    const groups = names.map((name) => ({ id: `/subscriptions/${segments[1] ?? ''}/resourceGroups/${name}`, name, type: 'Microsoft.Resources/resourceGroups', location: 'westeurope' }));
    return pagedReply(request, groups.length, (from, to) => groups.slice(from, to));
  }
  if (rest[0] !== 'providers') return noRoute;
  if (rest.length === 1) return serveList(dir && join(dir, 'providers.json'));
  if (rest.length === 3 && rest[1] === HYBRID_COMPUTE && HYBRID_COMPUTE_LISTS.has(rest[2] ?? '')) {
    return serveList(dir && join(dir, `${rest[2]}.json`));
  }
  // GET /subscriptions/{s}/providers/Microsoft.Authorization/policyAssignments → <s>/policyAssignments.json (missing = none)
  if (rest.length === 3 && rest[1] === 'microsoft.authorization' && rest[2] === 'policyassignments') {
    return serveList(dir && join(dir, 'policyAssignments.json'));
  }
  if (rest.length === 3) return fromError(armErrors.invalidResourceType(segments[4] ?? '', segments[3] ?? '', request.apiVersion));
  return noRoute;
}

/** What every request must carry, checked before throttling: a bearer token (the principal), GET, api-version. */
function admit(req: IncomingMessage, url: URL): Reply | { principal: string; apiVersion: string } {
  const principal = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
  if (principal === undefined) return fromError(armErrors.authenticationFailed());
  // Resource Graph queries are POSTs; everything else the scanner reads is a GET.
  const resourceGraph = url.pathname.replace(/\/+$/, '').toLowerCase() === RESOURCE_GRAPH_PATH;
  if (req.method !== (resourceGraph ? 'POST' : 'GET')) return fromError(armErrors.methodNotAllowed(req.method ?? ''));
  const apiVersion = queryParam(url.searchParams, 'api-version');
  if (!apiVersion) return fromError(armErrors.missingApiVersion());
  return { principal, apiVersion };
}

/** The subscription a path is under, for its throttling bucket; undefined for tenant-level paths. */
function subscriptionOf(pathname: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(pathname)?.[1];
}

const MAX_PATH_TEMPLATES = 200;

function pathTemplate(pathname: string): string {
  return pathname.replace(/\/+$/, '').toLowerCase().replace(/^\/subscriptions\/[^/]+/, '/subscriptions/{s}') || '/';
}

function createStats() {
  const totals: ArmPathStats = { requests: 0, throttled: 0, faults503: 0, slowPages: 0 };
  const byPath = new Map<string, ArmPathStats>();
  const count = (pathname: string, field: keyof ArmPathStats) => {
    totals[field]++;
    let template = pathTemplate(pathname);
    if (!byPath.has(template) && byPath.size >= MAX_PATH_TEMPLATES) template = '(other)';
    let entry = byPath.get(template);
    if (!entry) byPath.set(template, (entry = { requests: 0, throttled: 0, faults503: 0, slowPages: 0 }));
    entry[field]++;
  };
  const snapshot = (): ArmStandInStats => ({ ...totals, byPath: Object.fromEntries([...byPath].map(([k, v]) => [k, { ...v }])) });
  return { count, snapshot };
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number, got ${value}`);
  return v;
}

export async function startArmStandIn(options: ArmStandInOptions): Promise<ArmStandIn> {
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
  const latencyMs = nonNegative('latencyMs', options.latencyMs, 0);
  const resourceGraphPageSize = options.resourceGraphPageSize ?? 1000;
  if (!Number.isInteger(resourceGraphPageSize) || resourceGraphPageSize < 1) throw new Error(`resourceGraphPageSize must be a positive integer, got ${resourceGraphPageSize}`);
  if ((options.estateDir === undefined) === (options.synthetic === undefined)) {
    throw new Error('the ARM stand-in needs exactly one of estateDir and synthetic');
  }
  let routeOf: (request: PageRequest) => Promise<Reply> | Reply;
  let synthetic: SyntheticEstate | undefined;
  if (options.estateDir !== undefined) {
    if (!(await stat(options.estateDir)).isDirectory()) throw new Error(`${options.estateDir} is not a directory`);
    const estate = openEstate(options.estateDir);
    routeOf = (request) => estateRoute(estate, request);
  } else {
    const estate = (synthetic = new SyntheticEstate(options.synthetic as SyntheticEstateOptions));
    routeOf = (request) => syntheticRoute(estate, request);
  }
  const throttle = options.throttle ? new ArmThrottle(options.throttle) : undefined;
  const faults = options.faults ? new FaultInjector(options.faults) : undefined;

  const { key, cert } = await loopbackCertificate();
  const requests: ArmRequestRecord[] = [];
  const stats = createStats();
  const closed = new AbortController(); // cancels pending delays when the stand-in closes
  setMaxListeners(0, closed.signal); // one listener per delayed response in flight
  let endpoint = '';

  let resourceGraphThrottle = options.resourceGraphThrottleOnce;
  const handle = async (req: IncomingMessage, url: URL, body: string): Promise<Reply> => {
    const admitted = admit(req, url);
    if ('status' in admitted) return admitted;
    if (resourceGraphThrottle && url.pathname.toLowerCase() === RESOURCE_GRAPH_PATH) {
      const { resetsAfter } = resourceGraphThrottle;
      resourceGraphThrottle = undefined;
      stats.count(url.pathname, 'throttled');
      return resourceGraphThrottled(resetsAfter);
    }
    const subscriptionId = subscriptionOf(url.pathname);
    let remaining: Record<string, string> = {};
    if (throttle) {
      const decision = throttle.take(admitted.principal, subscriptionId);
      if (!decision.allowed) {
        stats.count(url.pathname, 'throttled');
        return fromError(tooManyRequests(decision, subscriptionId));
      }
      remaining = { [remainingReadsHeader(decision.scope)]: String(decision.remaining) };
    }
    const fault = faults?.decide(url) ?? { kind: 'none' };
    if (fault.kind === '503') {
      stats.count(url.pathname, 'faults503');
      return fromError(serviceUnavailable());
    }
    if (fault.kind === 'slow') {
      stats.count(url.pathname, 'slowPages');
      await sleep(fault.delayMs, undefined, { signal: closed.signal });
    }
    const reply = await routeOf({ url, endpoint, apiVersion: admitted.apiVersion, pageSize, resourceGraphPageSize, body });
    return throttle ? { ...reply, headers: { ...reply.headers, ...remaining } } : reply;
  };

  const send = async (req: IncomingMessage, res: ServerResponse, url: URL | undefined, reply: Reply): Promise<void> => {
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: closed.signal });
    res.writeHead(reply.status, {
      ...reply.headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(reply.body),
      'x-ms-request-id': randomUUID(),
    });
    res.end(reply.body);
    const path = url?.pathname ?? req.url ?? '';
    stats.count(path, 'requests');
    requests.push({ method: req.method ?? '', path, query: url?.search.slice(1) ?? '', status: reply.status });
  };

  const server = createServer({ key, cert }, (req, res) => {
    // Only Resource Graph's POST has a body worth reading; others are drained so keep-alive sockets stay usable.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (chunks.length < 64) chunks.push(chunk);
    });
    void (async () => {
      let url: URL | undefined;
      try {
        url = new URL(req.url ?? '/', 'https://127.0.0.1');
        if (!req.readableEnded) await new Promise<void>((resolve, reject) => req.once('end', resolve).once('error', reject));
        await send(req, res, url, await handle(req, url, Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        if (res.headersSent || closed.signal.aborted) return void res.destroy();
        try {
          await send(req, res, url, fromError(armErrors.internal(err instanceof Error ? err.message : String(err))));
        } catch {
          res.destroy();
        }
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    ca: cert,
    requests,
    get stats() {
      return stats.snapshot();
    },
    ...(synthetic ? { synthetic } : {}),
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        closed.abort();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // SDK agents keep sockets alive; without this close() waits for them
      })),
  };
}
