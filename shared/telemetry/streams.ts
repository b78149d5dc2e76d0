/**
 * The Log Analytics custom tables the scanner writes through the Logs Ingestion API, and the stream of the
 * data collection rule that feeds each one. infra/monitoring/tables.json declares their columns; a test reads
 * them back from the compiled template and checks every record the code builds against them.
 */
export const TELEMETRY_TABLES = {
  ruleCounts: 'EsuRuleCounts_CL',
  alertTransitions: 'EsuAlertTransitions_CL',
  licensePlan: 'EsuLicensePlan_CL',
  coreMonths: 'EsuCoreMonths_CL',
  programs: 'EsuPrograms_CL',
  heartbeat: 'EsuScanHeartbeat_CL',
  findings: 'EsuFindings_CL',
} as const;

export type TelemetryKind = keyof typeof TELEMETRY_TABLES;

/** The rule's stream for a table: `Custom-<table>`, as the rule's streamDeclarations name it. */
export function streamOf(kind: TelemetryKind): string {
  return `Custom-${TELEMETRY_TABLES[kind]}`;
}

/** A row as sent: column name → value (string, number, boolean, or an object for `dynamic` columns). */
export type TelemetryRecord = Readonly<Record<string, string | number | boolean | object>>;
