import type { TokenCredential } from '@azure/core-auth';
import { RestError, TableClient } from '@azure/data-tables';

/** A connection string (Azurite, local) or an endpoint plus identity (Azure). */
export type StorageConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly tableServiceUri: string; readonly credential: TokenCredential };

const ensured = new Map<string, Promise<void>>();

/** Creates the client and, once per process and table, the table itself (409 = already there). */
export async function openTable(connection: StorageConnection, tableName: string): Promise<TableClient> {
  const client = connection.kind === 'connectionString'
    ? TableClient.fromConnectionString(connection.connectionString, tableName, {
      allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\/127\.0\.0\.1|http:\/\/localhost/i.test(connection.connectionString),
    })
    : new TableClient(connection.tableServiceUri, tableName, connection.credential);
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
