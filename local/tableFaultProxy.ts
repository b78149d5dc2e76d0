// An HTTP proxy in front of Azurite's table endpoint that behaves like a busy storage account: it answers a
// share of requests 503 ServerBusy or 500 OperationTimedOut (what Table Storage answers under load) and drops
// a share of connections, half before the request reaches storage and half after it was applied (the answer
// lost: the case that makes a retried transaction replay what already happened). Seeded: the same seed gives
// the same sequence of faults.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hash32 } from './prng.js';

export interface TableFaultRates {
  /** Share of requests answered `503 ServerBusy` (default 0.15). */
  readonly busy503?: number;
  /** Share answered `500 OperationTimedOut` (default 0.03). */
  readonly error500?: number;
  /** Share whose connection is dropped without an answer (default 0.03). */
  readonly drop?: number;
}

export interface TableFaultProxyOptions extends TableFaultRates {
  /** Azurite's table endpoint origin, e.g. `http://127.0.0.1:10002`. */
  readonly target: string;
  readonly seed?: number;
}

export interface TableFaultProxy {
  /** This proxy's origin, to put in a connection string in place of Azurite's. */
  readonly origin: string;
  readonly stats: { requests: number; busy503: number; error500: number; droppedBefore: number; droppedAfter: number };
  /** `connectionString` with its TableEndpoint moved to this proxy. */
  connectionStringFor(connectionString: string): string;
  close(): Promise<void>;
}

export async function startTableFaultProxy(options: TableFaultProxyOptions): Promise<TableFaultProxy> {
  const busy = options.busy503 ?? 0.15;
  const error = options.error500 ?? 0.03;
  const drop = options.drop ?? 0.03;
  const seed = options.seed ?? 1;
  const target = new URL(options.target);
  const stats = { requests: 0, busy503: 0, error500: 0, droppedBefore: 0, droppedAfter: 0 };
  const sockets = new Set<Socket>();

  const serve = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const n = stats.requests++;
    const roll = hash32(seed, n) / 2 ** 32;
    if (roll < busy) {
      stats.busy503 += 1;
      return fault(incoming, outgoing, 503, 'ServerBusy', 'The server is busy.');
    }
    if (roll < busy + error) {
      stats.error500 += 1;
      return fault(incoming, outgoing, 500, 'OperationTimedOut', 'Operation could not be completed within the specified time.');
    }
    const dropped = roll < busy + error + drop;
    if (dropped && hash32(seed, n, 1) % 2 === 0) {
      stats.droppedBefore += 1;
      incoming.socket.destroy();
      return;
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      if (dropped) {
        // Applied by storage, answer lost.
        stats.droppedAfter += 1;
        answer.resume();
        answer.once('end', () => incoming.socket.destroy());
        return;
      }
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.once('error', () => incoming.socket.destroy());
    incoming.pipe(upstream);
  };

  const server = createServer(serve);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    stats,
    connectionStringFor: (connectionString) => connectionString.replace(/TableEndpoint=http:\/\/[^/;]+/i, `TableEndpoint=${origin}`),
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The service's error, as Table Storage words it in JSON (the request body is read first, as a server would). */
function fault(incoming: IncomingMessage, outgoing: ServerResponse, status: number, code: string, message: string): void {
  incoming.resume();
  incoming.once('end', () => {
    outgoing.writeHead(status, { 'Content-Type': 'application/json;odata=minimalmetadata;streaming=true;charset=utf-8', 'x-ms-error-code': code });
    outgoing.end(JSON.stringify({ 'odata.error': { code, message: { lang: 'en-US', value: message } } }));
  });
}
