import type { TokenCredential } from '@azure/core-auth';
import { createArmReader, type ArmReader } from '../adapters/arm/armReader.js';
import { ArmWaitFeed } from '../adapters/arm/armThrottle.js';
import { createResourceGraphReader, type ResourceGraphReader } from '../adapters/arm/resourceGraphReader.js';
import type { MessagePublisher, ServiceBusConnection } from '../adapters/serviceBus/messagePublisher.js';
import { defaultAzureCredential } from './azureCredential.js';
import { FindingStore } from '../adapters/tables/findingStore.js';
import { PartitionIndex } from '../adapters/tables/partitionIndex.js';
import { Outbox } from '../adapters/tables/outbox.js';
import { AlertStateBackup } from '../adapters/tables/alertStateBackup.js';
import { SuppressionStore } from '../adapters/tables/suppressionStore.js';
import { DEFAULT_ALERT_POLICY } from '../scan/alertTracker.js';
import { DEFAULT_DEADLINE_ESCALATION_DAYS } from '../alerts/fingerprint.js';
import type { AlertPolicy } from '../alerts/transitions.js';
import { LedgerStore } from '../adapters/tables/ledgerStore.js';
import { PlanStore } from '../adapters/tables/planStore.js';
import { parsePriceList } from '../plan/prices.js';
import type { PriceList } from '../domain/licensePlan.js';
import { ScanRunStore } from '../adapters/tables/scanRunStore.js';
import { SubscriptionClaims } from '../adapters/tables/subscriptionClaims.js';
import { openTable, type StorageConnection } from '../adapters/tables/tableClients.js';
import { RESOURCE_NAMES } from '../config/resourceNames.js';
import { readSetting, SETTINGS, type Environment } from '../config/settings.js';
import { applyProgramOverrides, parseProgramOverrides } from '../programs/overrides.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/context.js';
import { ruleDescriptions } from '../rules/catalog.js';
import { parseSubscriptionList } from '../scan/planScanRun.js';
import { telemetryFromSettings, type TelemetrySettings } from './telemetryFromSettings.js';
import { noTelemetry } from '../telemetry/telemetrySink.js';
import { DEFAULT_PARALLEL_READS, type ParallelReads } from '../scan/machinePages.js';

/** The adapters a scan needs, built once per process from settings. */
export interface Dependencies {
  readonly arm: ArmReader;
  /** Every wait of an ARM read (throttling, retries, the read budget): progress reports subscribe to it. */
  readonly armWaits: ArmWaitFeed;
  /** Update Manager assessments (Resource Graph), for the patch rules. */
  readonly resourceGraph: ResourceGraphReader;
  readonly findings: FindingStore;
  readonly runs: ScanRunStore;
  /** One scan per subscription at a time (rows in the scan-runs table); absent where one process owns the storage (the CLI's own Azurite). */
  readonly claims?: SubscriptionClaims;
  readonly outbox: Outbox;
  readonly suppressions: SuppressionStore;
  readonly ledgers: LedgerStore;
  /** The latest tenant license plan (`esu-scan plan`). */
  readonly plans: PlanStore;
  /** The findings' alert state, copied out of and into an account (`esu-scan alerts export` / `import`). */
  readonly alertState: AlertStateBackup;
  /** `ESU_PRICES`: absent, the plan counts core-months only. */
  readonly prices?: PriceList;
  /** Absent when no Service Bus is configured: messages stay in the outbox, listed by `esu-scan jobs`. */
  readonly publisher?: MessagePublisher;
  readonly alertPolicy: AlertPolicy;
  /** Rule thresholds and the ESU program catalogue, with `ESU_PROGRAM_OVERRIDES` applied. */
  readonly settings: RuleSettings;
  /**
   * The time rules evaluate at, for every run of this process: the Functions entry points build each run's
   * ScanTime from it (tests set it); absent, a run evaluates at its start. The CLI passes `--as-of` per run instead.
   */
  readonly asOf?: Date;
  readonly configuredSubscriptionIds: readonly string[];
  /** How a large subscription's machines are read (`ESU_PARALLEL_READ_MACHINES`). */
  readonly parallelReads: ParallelReads;
  readonly jobsDestination: string;
  /** Log Analytics rows (docs/monitoring.md); absent when ESU_LOGS_INGESTION_* are not set, so scans do no telemetry work. */
  readonly telemetry?: TelemetrySettings;
  close(): Promise<void>;
}

/** Replaces what settings would choose: the CLI's local mode and the tests use these. */
export interface DependencyOverrides {
  readonly armCredential?: TokenCredential;
  readonly armTrustedCa?: string;
  readonly armTokenAudience?: string;
  readonly storage?: StorageConnection;
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export async function createDependencies(env: Environment, overrides: DependencyOverrides = {}): Promise<Dependencies> {
  const settings = ruleSettingsFrom(env);
  let azureCredential: TokenCredential | undefined;
  const credentialFor = (clientId: string | undefined): TokenCredential => {
    // One identity serves everything in infra/; a distinct client id gets its own credential.
    if (clientId && clientId !== readSetting(env, 'azureClientId')) return defaultAzureCredential(clientId);
    azureCredential ??= defaultAzureCredential(clientId);
    return azureCredential;
  };

  const armWaits = new ArmWaitFeed();
  const armEndpoint = readSetting(env, 'armEndpoint') ?? 'https://management.azure.com';
  const armCredential = overrides.armCredential ?? credentialFor(readSetting(env, 'azureClientId'));
  const resourceGraph = createResourceGraphReader({ endpoint: armEndpoint, credential: armCredential, trustedCa: overrides.armTrustedCa });
  const arm = createArmReader({
    endpoint: armEndpoint,
    credential: armCredential,
    trustedCa: overrides.armTrustedCa,
    tokenAudience: overrides.armTokenAudience,
    hybridComputeApiVersion: readSetting(env, 'hybridComputeApiVersion') ?? SETTINGS.hybridComputeApiVersion.defaultValue,
    onWait: armWaits.emit,
  });

  const storage = overrides.storage ?? storageFromSettings(env, credentialFor);
  const prices = priceListFrom(env);
  const [findingsTable, runsTable, jobsTable, usageTable, suppressionsTable, subscriptionsTable, planTable] = await Promise.all([
    openTable(storage, RESOURCE_NAMES.findingsTable),
    openTable(storage, RESOURCE_NAMES.scanRunsTable),
    openTable(storage, RESOURCE_NAMES.jobsTable),
    openTable(storage, RESOURCE_NAMES.licenseUsageTable),
    openTable(storage, RESOURCE_NAMES.suppressionsTable),
    openTable(storage, RESOURCE_NAMES.subscriptionsTable),
    openTable(storage, RESOURCE_NAMES.licensePlanTable),
  ]);
  const topic = readSetting(env, 'remediationTopic') ?? RESOURCE_NAMES.remediationTopic;
  const bus = serviceBusFromSettings(env, credentialFor);
  // @azure/service-bus is loaded only when a Service Bus is configured (the CLI's local mode has none).
  const publisher = bus ? new (await import('../adapters/serviceBus/messagePublisher.js')).MessagePublisher(bus, topic) : undefined;
  const reminderDays = Number(readSetting(env, 'reminderDays'));
  const parallelFrom = Number(readSetting(env, 'parallelReadMachines'));
  const telemetry = telemetryFromSettings(env, () => credentialFor(readSetting(env, 'azureClientId')), storage);
  return {
    arm,
    armWaits,
    resourceGraph,
    findings: new FindingStore(findingsTable, new PartitionIndex(subscriptionsTable), ruleDescriptions()),
    runs: new ScanRunStore(runsTable),
    claims: new SubscriptionClaims(runsTable),
    outbox: new Outbox(jobsTable),
    suppressions: new SuppressionStore(suppressionsTable),
    ledgers: new LedgerStore(usageTable),
    plans: new PlanStore(planTable),
    alertState: new AlertStateBackup({ findings: findingsTable, findingPartitions: subscriptionsTable }),
    ...(prices ? { prices } : {}),
    ...(publisher ? { publisher } : {}),
    alertPolicy: {
      reminderDays: Number.isFinite(reminderDays) && reminderDays > 0 ? reminderDays : DEFAULT_ALERT_POLICY.reminderDays,
      deadlineEscalationDays: escalationDaysOf(readSetting(env, 'deadlineEscalationDays')),
    },
    settings,
    configuredSubscriptionIds: parseSubscriptionList(readSetting(env, 'subscriptionIds')),
    parallelReads: { ...DEFAULT_PARALLEL_READS, fromMachines: Number.isFinite(parallelFrom) && parallelFrom >= 0 ? parallelFrom : DEFAULT_PARALLEL_READS.fromMachines },
    ...(telemetry.sink === noTelemetry ? {} : { telemetry }),
    jobsDestination: bus ? `Service Bus topic ${topic}` : `table ${RESOURCE_NAMES.jobsTable} (no Service Bus configured)`,
    close: async () => {
      resourceGraph.close();
      await publisher?.close();
    },
  };
}

/** The rule settings in force: the defaults with the program catalogue's configured changes (a bad value stops start-up). */
export function ruleSettingsFrom(env: Environment): RuleSettings {
  try {
    const changes = parseProgramOverrides(readSetting(env, 'programOverrides'));
    return { ...DEFAULT_RULE_SETTINGS, programs: applyProgramOverrides(DEFAULT_RULE_SETTINGS.programs, changes) };
  } catch (error) {
    throw new ConfigurationError(error instanceof Error ? error.message : String(error));
  }
}

function priceListFrom(env: Environment): PriceList | undefined {
  try {
    return parsePriceList(readSetting(env, 'prices'));
  } catch (error) {
    throw new ConfigurationError(error instanceof Error ? error.message : String(error));
  }
}

function storageFromSettings(env: Environment, credentialFor: (clientId: string | undefined) => TokenCredential): StorageConnection {
  const connectionString = readSetting(env, 'storageConnectionString');
  if (connectionString) return { kind: 'connectionString', connectionString };
  const tableServiceUri = readSetting(env, 'storageTableUri');
  if (!tableServiceUri) {
    throw new ConfigurationError('No storage configured: set ESU_STORAGE__tableServiceUri (Azure) or ESU_STORAGE (a connection string).');
  }
  // infra passes endpoints with a trailing slash; the table client appends the table name itself.
  return { kind: 'identity', tableServiceUri: tableServiceUri.replace(/\/+$/, ''), credential: credentialFor(readSetting(env, 'storageClientId')) };
}

export function serviceBusFromSettings(env: Environment, credentialFor: (clientId: string | undefined) => TokenCredential): ServiceBusConnection | undefined {
  const connectionString = readSetting(env, 'serviceBusConnectionString');
  if (connectionString) return { kind: 'connectionString', connectionString };
  const fullyQualifiedNamespace = readSetting(env, 'serviceBusNamespace');
  if (!fullyQualifiedNamespace) return undefined;
  return { kind: 'identity', fullyQualifiedNamespace, credential: credentialFor(readSetting(env, 'serviceBusClientId')) };
}

/** `30,14,7,1,0` → the thresholds; a list that is not whole days from 0 to 1000 falls back to the default. */
function escalationDaysOf(text: string | undefined): readonly number[] {
  const days = (text ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number);
  return days.length > 0 && days.every((day) => Number.isInteger(day) && day >= 0 && day <= 1_000) ? days : DEFAULT_DEADLINE_ESCALATION_DAYS;
}
