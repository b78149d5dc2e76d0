/**
 * Columns of the Azure-provided tables that infra/ queries (not declared by our rule), as Microsoft Learn's
 * Azure Monitor table reference lists them ("StorageQueueLogs"): only the columns our queries read.
 */
import type { KustoTable } from '../support/kusto.js';

export const AZURE_TABLES: readonly KustoTable[] = [
  {
    name: 'StorageQueueLogs',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'AccountName', type: 'string' },
      { name: 'OperationName', type: 'string' },
      { name: 'StatusCode', type: 'string' },
      { name: 'ObjectKey', type: 'string' },
      { name: 'Uri', type: 'string' },
    ],
  },
];
