/**
 * The telemetry sink the settings ask for: the Logs Ingestion sink when ESU_LOGS_INGESTION_ENDPOINT and
 * ESU_LOGS_INGESTION_RULE_ID are both set (its upload ledger in the app's storage), otherwise none.
 */
import type { TokenCredential } from '@azure/core-auth';
import { readSetting, type Environment } from '../config/settings.js';
import { RESOURCE_NAMES } from '../config/resourceNames.js';
import { noTelemetry, type TelemetrySink } from '../telemetry/telemetrySink.js';
import type { UploadLedger } from '../telemetry/uploadLedger.js';
import { openTable, type StorageConnection } from '../adapters/tables/tableClients.js';
import { UploadLedgerStore } from '../adapters/tables/uploadLedgerStore.js';
import { createLogsIngestionSink } from '../adapters/logsIngestion/logsIngestionSink.js';

export interface TelemetrySettings {
  readonly sink: TelemetrySink;
  /** ESU_LOGS_FINDINGS_SNAPSHOT. */
  readonly findingsSnapshot: boolean;
  /** Where rows go, for logs and the CLI (`none` when off). */
  readonly destination: string;
}

/** `credential` is asked for only when telemetry is configured. */
export function telemetryFromSettings(env: Environment, credential: () => TokenCredential, storage: StorageConnection, options: { trustedCa?: string } = {}): TelemetrySettings {
  const endpoint = readSetting(env, 'logsIngestionEndpoint');
  const ruleId = readSetting(env, 'logsIngestionRuleId');
  const findingsSnapshot = readSetting(env, 'logsFindingsSnapshot')?.toLowerCase() === 'true';
  if (!endpoint || !ruleId) return { sink: noTelemetry, findingsSnapshot: false, destination: 'none' };
  // Opened on first use: a storage failure then surfaces as rows not sent, never as a failed start.
  let table: Promise<UploadLedger> | undefined;
  const ledger = (): Promise<UploadLedger> => (table ??= openTable(storage, RESOURCE_NAMES.uploadLedgerTable).then((client) => new UploadLedgerStore(client)).catch((error: unknown) => {
    table = undefined;
    throw error;
  }));
  const lazyLedger: UploadLedger = {
    acceptedParts: async (unit, stream) => (await ledger()).acceptedParts(unit, stream),
    recordAccepted: async (unit, stream, part, records) => (await ledger()).recordAccepted(unit, stream, part, records),
  };
  const sink = createLogsIngestionSink({ endpoint, ruleId, credential: credential(), ...(options.trustedCa ? { trustedCa: options.trustedCa } : {}) }, lazyLedger);
  return { sink, findingsSnapshot, destination: `${new URL(endpoint).host}, rule ${ruleId}` };
}
