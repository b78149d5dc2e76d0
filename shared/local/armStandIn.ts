// An HTTPS Azure Resource Manager stand-in on loopback that serves an "estate directory" (files captured
// with `az rest`), so the real Azure SDK clients can be exercised without Azure. HTTPS is required because
// the SDKs' bearer-token policy refuses to send tokens over plain http.
import { randomUUID } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { armErrors, type ArmErrorReply } from './armErrors.js';

export interface ArmStandInOptions {
  estateDir: string;
  pageSize?: number /* default 100 */;
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
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A list file is either a proper `{ value: [...] }` list or anything else, which is served verbatim. */
type ListFile = { kind: 'list'; items: unknown[] } | { kind: 'raw'; text: string };

const HYBRID_COMPUTE = 'microsoft.hybridcompute';
const HYBRID_COMPUTE_LISTS = new Set(['machines', 'licenses']);

const fromError = (e: ArmErrorReply): Reply =>
  e.headers ? { status: e.status, body: JSON.stringify(e.body), headers: e.headers } : { status: e.status, body: JSON.stringify(e.body) };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function classifyListFile(text: string | undefined): ListFile {
  if (text === undefined) return { kind: 'list', items: [] };
  try {
    const parsed: unknown = JSON.parse(text);
    // nextLink in the file is ignored: az rest captured only the first page, so `value` is the whole list.
    if (isRecord(parsed) && Array.isArray(parsed.value)) return { kind: 'list', items: parsed.value };
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

function queryParam(params: URLSearchParams, name: string): string | undefined {
  for (const [k, v] of params) if (k.toLowerCase() === name) return v;
  return undefined;
}

async function route(req: IncomingMessage, url: URL, estate: Estate, endpoint: string, pageSize: number): Promise<Reply> {
  if (!/^Bearer\s+\S+/i.test(req.headers.authorization ?? '')) return fromError(armErrors.authenticationFailed());
  if (req.method !== 'GET') return fromError(armErrors.methodNotAllowed(req.method ?? ''));
  const apiVersion = queryParam(url.searchParams, 'api-version');
  if (!apiVersion) return fromError(armErrors.missingApiVersion());

  const pathname = url.pathname.replace(/\/+$/, '');
  const segments = pathname.split('/').slice(1);
  const lower = segments.map((s) => s.toLowerCase());
  const noRoute = fromError(armErrors.noRoute(pathname));

  const serveList = async (rel: string | undefined): Promise<Reply> => {
    const file = rel === undefined ? ({ kind: 'list', items: [] } as const) : await estate.list(rel);
    if (file.kind === 'raw') return { status: 200, body: file.text };
    const token = queryParam(url.searchParams, '$skiptoken');
    const offset = token === undefined ? 0 : Number(token);
    if (!Number.isSafeInteger(offset) || offset < 0) return fromError(armErrors.invalidSkipToken(token ?? ''));
    const page: { value: unknown[]; nextLink?: string } = { value: file.items.slice(offset, offset + pageSize) };
    const next = offset + pageSize;
    // The SDKs follow nextLink verbatim, so it must be absolute and carry the api-version.
    if (next < file.items.length) {
      page.nextLink = `${endpoint}${pathname}?api-version=${encodeURIComponent(apiVersion)}&$skipToken=${next}`;
    }
    return { status: 200, body: JSON.stringify(page) };
  };

  // GET /providers/Microsoft.HybridCompute/osType/{osType}/agentVersions/latest → agentVersions/<osType>.json
  if (lower[0] === 'providers' && lower[1] === HYBRID_COMPUTE && lower[2] === 'ostype' && lower[4] === 'agentversions' && lower[5] === 'latest' && lower.length === 6) {
    const text = await estate.readText(join('agentVersions', `${lower[3] ?? ''}.json`));
    return text === undefined ? fromError(armErrors.noRoute(pathname)) : { status: 200, body: text };
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
  if (rest[0] !== 'providers') return noRoute;
  if (rest.length === 1) return serveList(dir && join(dir, 'providers.json'));
  if (rest.length === 3 && rest[1] === HYBRID_COMPUTE && HYBRID_COMPUTE_LISTS.has(rest[2] ?? '')) {
    return serveList(dir && join(dir, `${rest[2]}.json`));
  }
  if (rest.length === 3) return fromError(armErrors.invalidResourceType(segments[4] ?? '', segments[3] ?? '', apiVersion));
  return noRoute;
}

async function generateCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function startArmStandIn(options: ArmStandInOptions): Promise<ArmStandIn> {
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
  if (!(await stat(options.estateDir)).isDirectory()) throw new Error(`${options.estateDir} is not a directory`);

  const estate = openEstate(options.estateDir);
  const { key, cert } = await generateCertificate();
  const requests: ArmRequestRecord[] = [];
  let endpoint = '';

  const send = (req: IncomingMessage, res: ServerResponse, url: URL | undefined, reply: Reply): void => {
    res.writeHead(reply.status, {
      ...reply.headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(reply.body),
      'x-ms-request-id': randomUUID(),
    });
    res.end(reply.body);
    requests.push({ method: req.method ?? '', path: url?.pathname ?? req.url ?? '', query: url?.search.slice(1) ?? '', status: reply.status });
  };

  const server = createServer({ key, cert }, (req, res) => {
    req.resume(); // bodies are never needed; drain them so keep-alive sockets stay usable
    void (async () => {
      let url: URL | undefined;
      try {
        url = new URL(req.url ?? '/', 'https://127.0.0.1');
        send(req, res, url, await route(req, url, estate, endpoint, pageSize));
      } catch (err) {
        if (res.headersSent) return void res.destroy();
        try {
          send(req, res, url, fromError(armErrors.internal(err instanceof Error ? err.message : String(err))));
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
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // SDK agents keep sockets alive; without this close() waits for them
      })),
  };
}
