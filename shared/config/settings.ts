/**
 * Every app setting the code reads, in one place. `infra/` must set each one marked `setByInfra`
 * (a test checks this), and nothing else in the code reads `process.env` directly.
 *
 * Connections follow the Functions identity-based convention: a connection named X is either a
 * connection string in `X` (local development) or a set of `X__*` settings (Azure, managed identity).
 */

export interface SettingDescriptor {
  readonly name: string;
  readonly description: string;
  readonly defaultValue?: string;
  /** True when `infra/` must set this setting in Azure. */
  readonly setByInfra: boolean;
}

export const SETTINGS = {
  scanSchedule: {
    name: 'ESU_SCAN_SCHEDULE',
    description: 'NCRONTAB schedule of the fan-out timer (six fields, UTC).',
    defaultValue: '0 0 3 * * *',
    setByInfra: true,
  },
  subscriptionIds: {
    name: 'ESU_SUBSCRIPTION_IDS',
    description: 'Comma-separated subscription ids to scan; empty = every subscription the identity can read.',
    defaultValue: '',
    setByInfra: true,
  },
  storageTableUri: {
    name: 'ESU_STORAGE__tableServiceUri',
    description: 'Table service endpoint for findings, scan runs and locally kept jobs (identity-based).',
    setByInfra: true,
  },
  storageQueueUri: {
    name: 'ESU_STORAGE__queueServiceUri',
    description: 'Queue service endpoint of the scan-request queue (identity-based queue binding).',
    setByInfra: true,
  },
  storageCredential: {
    name: 'ESU_STORAGE__credential',
    description: 'Set to `managedidentity` so the Functions host uses the managed identity for the queue binding.',
    setByInfra: true,
  },
  storageClientId: {
    name: 'ESU_STORAGE__clientId',
    description: 'Client id of the user-assigned identity used for storage.',
    setByInfra: true,
  },
  storageConnectionString: {
    name: 'ESU_STORAGE',
    description: 'Local development only: a storage connection string (Azurite). Not used in Azure.',
    setByInfra: false,
  },
  serviceBusNamespace: {
    name: 'ESU_SERVICEBUS__fullyQualifiedNamespace',
    description: 'Service Bus namespace host name (e.g. contoso.servicebus.windows.net) for remediation jobs.',
    setByInfra: true,
  },
  serviceBusClientId: {
    name: 'ESU_SERVICEBUS__clientId',
    description: 'Client id of the user-assigned identity used for Service Bus.',
    setByInfra: true,
  },
  serviceBusConnectionString: {
    name: 'ESU_SERVICEBUS',
    description: 'Local development or tests only: a Service Bus connection string. Empty = jobs are kept in storage.',
    setByInfra: false,
  },
  remediationTopic: {
    name: 'ESU_REMEDIATION_TOPIC',
    description: 'Service Bus topic that receives remediation jobs.',
    defaultValue: 'esu-remediation',
    setByInfra: true,
  },
  reminderDays: {
    name: 'ESU_REMINDER_DAYS',
    description: 'Days after its last message that a finding still open gets a reminder.',
    defaultValue: '7',
    setByInfra: true,
  },
  deadlineEscalationDays: {
    name: 'ESU_DEADLINE_ESCALATION_DAYS',
    description: 'Days before an end of support at which an open alert escalates (comma-separated; 0 = the day itself).',
    defaultValue: '30,14,7,1,0',
    setByInfra: false,
  },
  armEndpoint: {
    name: 'ESU_ARM_ENDPOINT',
    description: 'Azure Resource Manager endpoint (sovereign clouds, or a local stand-in).',
    defaultValue: 'https://management.azure.com',
    setByInfra: true,
  },
  logsIngestionEndpoint: {
    name: 'ESU_LOGS_INGESTION_ENDPOINT',
    description: 'Logs Ingestion endpoint of the data collection endpoint (https://<dce>.<region>.ingest.monitor.azure.com); empty = no Log Analytics telemetry.',
    defaultValue: '',
    setByInfra: true,
  },
  logsIngestionRuleId: {
    name: 'ESU_LOGS_INGESTION_RULE_ID',
    description: 'Immutable id (dcr-...) of the data collection rule whose streams take the telemetry rows; empty = no Log Analytics telemetry.',
    defaultValue: '',
    setByInfra: true,
  },
  logsFindingsSnapshot: {
    name: 'ESU_LOGS_FINDINGS_SNAPSHOT',
    description: 'true: also upload every non-passing finding of each scan to EsuFindings_CL (the largest volume, docs/monitoring.md).',
    defaultValue: 'false',
    setByInfra: true,
  },
  hybridComputeApiVersion: {
    name: 'ESU_HYBRIDCOMPUTE_API_VERSION',
    description: 'api-version used for machines and licenses (2026-07-15 or later: Windows Server 2016 license targets).',
    defaultValue: '2026-09-01',
    setByInfra: false,
  },
  parallelReadMachines: {
    name: 'ESU_PARALLEL_READ_MACHINES',
    description: 'A subscription whose last complete scan read at least this many machines is read per resource group, in parallel chains within the same ARM read budget; 0 = always one chain.',
    defaultValue: '5000',
    setByInfra: false,
  },
  programOverrides: {
    name: 'ESU_PROGRAM_OVERRIDES',
    description: 'JSON changes to the ESU program catalogue (dates, agent minimum, free environments), e.g. {"WS2016":{"esuEnd":"2030-01-08"}}; empty = the catalogue as shipped.',
    setByInfra: false,
  },
  prices: {
    name: 'ESU_PRICES',
    description: 'Your ESU prices per core per month, for the license plan\'s money figures, e.g. {"currency":"USD","perCoreMonth":{"WS2016 Standard vCore":0,"WS2016 Standard pCore":0,"WS2016 Datacenter pCore":0}}; empty = core-months only.',
    setByInfra: false,
  },
  localDataDir: {
    name: 'ESU_LOCAL_DATA_DIR',
    description: "CLI local mode only: folder for Azurite's data (default: .esu-scan/azurite in the checkout).",
    setByInfra: false,
  },
  azureClientId: {
    name: 'AZURE_CLIENT_ID',
    description: 'Client id of the user-assigned managed identity DefaultAzureCredential uses for ARM.',
    setByInfra: true,
  },
} as const satisfies Record<string, SettingDescriptor>;

export type SettingKey = keyof typeof SETTINGS;
export type Environment = Readonly<Record<string, string | undefined>>;

/** A setting's value, or its default, or undefined; blank values count as unset. */
export function readSetting(env: Environment, key: SettingKey): string | undefined {
  const descriptor: SettingDescriptor = SETTINGS[key];
  const raw = env[descriptor.name]?.trim();
  return raw ? raw : descriptor.defaultValue;
}

/** The process environment, read here only, so the rest of the code takes an `Environment`. */
export function processEnvironment(): Environment {
  return process.env;
}
