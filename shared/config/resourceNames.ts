/** Names of the storage and messaging resources the app uses; `infra/` creates exactly these. */
export const RESOURCE_NAMES = {
  /** Storage queue carrying one scan request per subscription. Poison messages go to `<name>-poison`. */
  scanRequestQueue: 'esu-scan-requests',
  /** Current findings, one row per (subscription, resource, rule). */
  findingsTable: 'esufindings',
  /** One row per scan run and one per subscription scanned in it. */
  scanRunsTable: 'esuscanruns',
  /** Remediation jobs kept in storage when no Service Bus is configured (the local default). */
  jobsTable: 'esujobs',
  /** Suppressions (rule, resource or both; reason, owner, expiry): small, read once per subscription scan. */
  suppressionsTable: 'esusuppressions',
  /** One row per subscription whose findings partition was ever written: a first scan need not query an empty partition. */
  subscriptionsTable: 'esusubscriptions',
  /** Per scan run: each subscription's licenses and the cores linked to them, for the tenant-wide license rules. */
  licenseUsageTable: 'esulicenseusage',
  /** The latest tenant license plan: one row per license to keep, create, shrink or remove, and its summary. */
  licensePlanTable: 'esulicenseplan',
  /** Upload parts the Logs Ingestion endpoint accepted, per unit and stream: a rerun does not send them again. */
  uploadLedgerTable: 'esuuploadledger',
  /** Service Bus topic of remediation jobs; its default subscription is `all`. */
  remediationTopic: 'esu-remediation',
  remediationSubscriptionAll: 'all',
  remediationSubscriptionCritical: 'critical',
} as const;

/** Connection names (Functions identity-based connection prefixes). */
export const CONNECTIONS = {
  storage: 'ESU_STORAGE',
  serviceBus: 'ESU_SERVICEBUS',
} as const;
