import { randomUUID } from 'node:crypto';
import { createHttpHeaders, createPipelineRequest, type RestError } from '@azure/core-rest-pipeline';
import type { TableClient } from '@azure/data-tables';
import { isLoopbackHttp, tableError, tableHttpClient } from './tableRequests.js';

/** What our rows hold: text, flags and 32-bit integers (no value type needs an `@odata.type` annotation). */
export type EntityValue = string | boolean | number;
export type TransactionEntity = { readonly partitionKey: string; readonly rowKey: string } & { readonly [column: string]: EntityValue };

/** The SDK's `TransactionAction` shapes we use; `update` requires the row to exist (`If-Match: *`). */
export type EntityAction =
  | readonly ['upsert', TransactionEntity, 'Replace' | 'Merge']
  | readonly ['update', TransactionEntity, 'Replace' | 'Merge']
  | readonly ['delete', { readonly partitionKey: string; readonly rowKey: string }];

/** Table Storage's limit of actions per entity group transaction. */
export const TRANSACTION_LIMIT = 100;
const CRLF = '\r\n';

/**
 * Submits one entity group transaction (≤ 100 actions, one partition): the `$batch` body is assembled
 * here and sent through the TableClient's own pipeline (its authentication, retries, tracing and
 * logging). Why not `TableClient.submitTransaction`: it builds each part by running the entity through
 * a full request pipeline, about 35 µs and 50 KB of garbage per entity (measured), which at 100k
 * machines was the largest share of a scan's CPU. Same wire format as the SDK's; throws a `RestError`
 * with the service's status and error code when the transaction is refused, and nothing is applied.
 * Transient failures are retried by the pipeline (see tableRetry.ts): a transaction of upserts replayed after its
 * first attempt landed writes the same rows again (replace semantics), and one of deletes is finished row by row.
 */
export async function submitEntityTransaction(client: TableClient, actions: readonly EntityAction[]): Promise<void> {
  try {
    await sendTransaction(client, actions);
  } catch (error) {
    if (!(isNotFound(error) && actions.every((action) => action[0] === 'delete'))) throw error;
    // The pipeline retries a transaction whose answer was lost: upserts (and `update`, which needs the row there)
    // apply the same again, but deletes that landed the first time answer 404 and fail the whole changeset.
    // A delete means "make it absent": each row is deleted on its own, and a row already gone is fine.
    if (actions.length === 1) return;
    for (const action of actions) await submitEntityTransaction(client, [action]);
  }
}

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number } | undefined)?.statusCode === 404;
}

async function sendTransaction(client: TableClient, actions: readonly EntityAction[]): Promise<void> {
  if (actions.length === 0) return;
  const batchBoundary = `batch_${randomUUID()}`;
  const changesetBoundary = `changeset_${randomUUID()}`;
  const tableUrl = `${client.url.replace(/\/+$/, '')}/${client.tableName}`;
  const parts: string[] = [`--${batchBoundary}${CRLF}Content-Type: multipart/mixed; boundary=${changesetBoundary}${CRLF}${CRLF}`];
  for (const action of actions) parts.push(`--${changesetBoundary}${CRLF}Content-Type: application/http${CRLF}Content-Transfer-Encoding: binary${CRLF}${CRLF}${subRequest(tableUrl, action)}`);
  parts.push(`--${changesetBoundary}--${CRLF}--${batchBoundary}--${CRLF}`);

  const url = `${client.url.replace(/\/+$/, '')}/$batch`;
  const request = createPipelineRequest({
    url,
    method: 'POST',
    body: parts.join(''),
    headers: createHttpHeaders({
      Accept: 'application/json',
      'x-ms-version': '2019-02-02',
      DataServiceVersion: '3.0;',
      MaxDataServiceVersion: '3.0;NetFx',
      'Content-Type': `multipart/mixed; boundary=${batchBoundary}`,
    }),
    // Plain HTTP only to a loopback emulator, as the table clients themselves allow.
    allowInsecureConnection: isLoopbackHttp(url),
  });
  const response = await client.pipeline.sendRequest(tableHttpClient, request);
  const text = response.bodyAsText ?? '';
  if (response.status < 200 || response.status >= 300) throw transactionError(text, response.status);
  // A refused changeset answers 202 with one sub-response carrying the failing status and error.
  for (const match of text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)) {
    const status = Number(match[1]);
    if (status >= 300) throw transactionError(text.slice(match.index), status);
  }
}

function subRequest(tableUrl: string, action: EntityAction): string {
  const entity = action[1];
  const address = `${tableUrl}(PartitionKey='${keyInUrl(entity.partitionKey)}',RowKey='${keyInUrl(entity.rowKey)}')`;
  if (action[0] === 'delete') {
    return `DELETE ${address} HTTP/1.1${CRLF}Accept: application/json;odata=minimalmetadata${CRLF}DataServiceVersion: 3.0${CRLF}If-Match: *${CRLF}${CRLF}${CRLF}`;
  }
  const method = action[2] === 'Merge' ? 'PATCH' : 'PUT';
  const ifMatch = action[0] === 'update' ? `If-Match: *${CRLF}` : '';
  return `${method} ${address} HTTP/1.1${CRLF}Content-Type: application/json${CRLF}Accept: application/json${CRLF}DataServiceVersion: 3.0${CRLF}${ifMatch}${CRLF}${entityJson(action[1])}${CRLF}`;
}

/**
 * The service's JSON for an entity: system keys capitalised, values as they are. Serialised once as it is
 * and the two key names renamed in the text (a copy of every row cost more than the rest of its part): a
 * `"partitionKey":` can only be that key, because a quote inside a JSON string is always escaped.
 */
function entityJson(entity: TransactionEntity): string {
  for (const column in entity) {
    const value = entity[column];
    if (typeof value === 'number' && !(Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)) {
      throw new TypeError(`column ${column}: only 32-bit integers are written as numbers, got ${value}`);
    }
  }
  return JSON.stringify(entity).replace('"partitionKey":', '"PartitionKey":').replace('"rowKey":', '"RowKey":').replace(LINE_SEPARATORS, escapeCharacter);
}

/**
 * U+2028 and U+2029 are valid in JSON text but end a line for the service's batch parser, which then refuses
 * the changeset; as `\u2028` escapes they read back the same. (Lone surrogates JSON.stringify escapes itself.)
 */
const LINE_SEPARATORS = /[\u2028\u2029]/g;
const escapeCharacter = (character: string): string => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** OData key literal inside a URL: quotes doubled, then percent-encoded. */
function keyInUrl(key: string): string {
  return encodeURIComponent(key.replace(/'/g, "''"));
}

function transactionError(text: string, statusCode: number): RestError {
  return tableError(text, statusCode, 'Table transaction');
}
