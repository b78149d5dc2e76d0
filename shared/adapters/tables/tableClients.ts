import type { TokenCredential } from '@azure/core-auth';
import { RestError, TableClient } from '@azure/data-tables';
import { tableClientOptions, type TableResilience } from './tableRetry.js';

/**
 * A connection string (Azurite, local) or an endpoint plus identity (Azure). Every table client retries
 * transient failures and fails with one clear error (tableRetry.ts); `resilience` changes its figures (tests).
 */
export type StorageConnection = (
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly tableServiceUri: string; readonly credential: TokenCredential }
) & { readonly resilience?: TableResilience };

const ensured = new Map<string, Promise<void>>();

/** Creates the client and, once per process and table, the table itself (409 = already there). */
export async function openTable(connection: StorageConnection, tableName: string): Promise<TableClient> {
  const client = connection.kind === 'connectionString'
    ? TableClient.fromConnectionString(connection.connectionString, tableName, {
      ...tableClientOptions(connection.resilience),
      allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\/127\.0\.0\.1|http:\/\/localhost/i.test(connection.connectionString),
    })
    : new TableClient(connection.tableServiceUri, tableName, connection.credential, tableClientOptions(connection.resilience));
  const key = `${client.url}/${tableName}`;
  let ready = ensured.get(key);
  if (!ready) {
    ready = client.createTable().catch((error: unknown) => {
      ensured.delete(key);
      if (!(error instanceof RestError && error.statusCode === 409)) throw error;
    });
    ensured.set(key, ready);
  }
  await ready;
  return client;
}
