import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import type { TableClient } from '@azure/data-tables';
import { isLoopbackHttp, tableError, tableHttpClient } from './tableRequests.js';

/** An entity as the service sends it without metadata: `PartitionKey`, `RowKey`, `Timestamp` and the columns asked for. */
export type RawEntity = Readonly<Record<string, unknown>>;

/**
 * The entities a query selects, page by page, as the service's JSON (`odata=nometadata`: string columns
 * are strings, no type annotations), sent through the TableClient's own pipeline (its authentication,
 * retries, tracing and logging). Why not `TableClient.listEntities`: its response deserialiser builds
 * about 10 KB of short-lived objects per entity (measured with V8's sampling heap profiler), and change
 * detection reads every stored row of a subscription on every scan: at 256,000 rows that garbage, not
 * the rows, was what the scanner's heap grew to. Without a filter: every entity of the table. Throws a `RestError` with the service's status and code.
 */
export async function* queryEntities(client: TableClient, query: { readonly filter?: string; readonly select: readonly string[] }): AsyncIterable<RawEntity[]> {
  const base = `${client.url.replace(/\/+$/, '')}/${encodeURIComponent(client.tableName)}()`;
  let continuation: { nextPartitionKey: string; nextRowKey: string | undefined } | undefined;
  do {
    const parameters = new URLSearchParams({ $format: 'application/json;odata=nometadata', ...(query.filter ? { $filter: query.filter } : {}), $select: query.select.join(',') });
    if (continuation) {
      parameters.set('NextPartitionKey', continuation.nextPartitionKey);
      if (continuation.nextRowKey !== undefined) parameters.set('NextRowKey', continuation.nextRowKey);
    }
    const url = `${base}?${parameters.toString().replace(/\+/g, '%20')}`;
    const request = createPipelineRequest({
      url,
      method: 'GET',
      headers: createHttpHeaders({ Accept: 'application/json;odata=nometadata', 'x-ms-version': '2019-02-02', DataServiceVersion: '3.0' }),
      allowInsecureConnection: isLoopbackHttp(url),
    });
    const response = await client.pipeline.sendRequest(tableHttpClient, request);
    const text = response.bodyAsText ?? '';
    if (response.status !== 200) throw tableError(text, response.status, 'Table query');
    const value = valueOf(text);
    if (value === undefined) throw new RestError(`Table query answered 200 without a JSON "value" array (${text.length} characters)`, { statusCode: response.status });
    yield value.filter((entity): entity is RawEntity => typeof entity === 'object' && entity !== null);
    const nextPartitionKey = response.headers.get('x-ms-continuation-nextpartitionkey');
    const nextRowKey = response.headers.get('x-ms-continuation-nextrowkey');
    continuation = nextPartitionKey ? { nextPartitionKey, nextRowKey } : undefined;
  } while (continuation);
}

function valueOf(text: string): unknown[] | undefined {
  try {
    const value = (JSON.parse(text) as { value?: unknown } | null)?.value;
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The string columns of an entity (what our rows hold as text), keys renamed as the SDK names them. */
export function textColumns(entity: RawEntity): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const column in entity) {
    const value = entity[column];
    if (typeof value !== 'string') continue;
    columns[column === 'PartitionKey' ? 'partitionKey' : column === 'RowKey' ? 'rowKey' : column] = value;
  }
  return columns;
}
