import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { planOverview, type LicensePlan, type PlanLicenseRow, type PlanOverview } from '../../domain/licensePlan.js';
import { submitEntityTransaction, TRANSACTION_LIMIT, type EntityAction, type TransactionEntity } from './entityTransaction.js';
import { fitText, splitText } from './propertyLimits.js';
import { chunk, encodeKey, fitKey } from './tableKeys.js';
import type { PlanSink } from '../../scan/scanPorts.js';

/** The plan of the latest run: one row per license (existing or proposed) people can query, and one row of the rest. */
const PARTITION = 'current';
const SUMMARY_ROW = 'summary';
const LICENSE_ROW_PREFIX = 'license~';


/**
 * The license plan table (`esulicenseplan`): partition `current` holds the latest run's plan, replaced row by row
 * (rows of licenses no longer in the plan are deleted), so a query of the table always shows one whole plan.
 */
export class PlanStore implements PlanSink {
  constructor(private readonly table: TableClient) {}

  async save(scanId: string, plan: LicensePlan): Promise<void> {
    const summary: PlanOverview = { ...planOverview(scanId, plan), licenses: [] };
    const parts = splitText(JSON.stringify(summary));
    const rows: TransactionEntity[] = [
      { partitionKey: PARTITION, rowKey: SUMMARY_ROW, scanId, asOf: plan.asOf, complete: plan.complete, parts: parts.length, ...Object.fromEntries(parts.map((part, index) => [`data${index}`, part])) },
      ...plan.licenses.map((row) => licenseEntity(scanId, row)),
    ];
    const keep = new Set(rows.map((row) => row.rowKey));
    const stale: EntityAction[] = [];
    for await (const entity of this.table.listEntities<{ rowKey: string }>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}`, select: ['RowKey'] } })) {
      if (!keep.has(entity.rowKey)) stale.push(['delete', { partitionKey: PARTITION, rowKey: entity.rowKey }]);
    }
    const actions: EntityAction[] = rows.map((row) => ['upsert', row, 'Replace']);
    for (const batch of chunk([...actions, ...stale], TRANSACTION_LIMIT)) await submitEntityTransaction(this.table, batch);
  }

  /** The latest plan, or undefined before the first run that planned. */
  async load(): Promise<PlanOverview | undefined> {
    let summary: PlanOverview | undefined;
    const licenses: PlanLicenseRow[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } })) {
      if (entity['rowKey'] === SUMMARY_ROW) {
        const parts = Number(entity['parts'] ?? 0);
        summary = JSON.parse(Array.from({ length: parts }, (_, index) => String(entity[`data${index}`] ?? '')).join('')) as PlanOverview;
      } else if (typeof entity['row'] === 'string') {
        licenses.push(parseRow(entity['row']));
      }
    }
    return summary ? { ...summary, licenses } : undefined;
  }
}

/** A license row: its figures as columns (to filter and sort on), the whole row as JSON (to read back). */
function licenseEntity(scanId: string, row: PlanLicenseRow): TransactionEntity {
  return {
    partitionKey: PARTITION,
    rowKey: fitKey(`${LICENSE_ROW_PREFIX}${encodeKey(row.licenseId.toLowerCase())}`),
    scanId,
    licenseId: row.licenseId,
    name: row.name,
    subscriptionId: row.subscriptionId,
    resourceGroup: row.resourceGroup,
    location: row.location ?? '',
    programId: row.programId ?? '',
    edition: row.edition ?? '',
    coreType: row.coreType ?? '',
    action: row.action,
    proposed: row.proposed,
    processors: row.processors,
    processorsAfter: row.processorsAfter,
    coresUsed: row.coresUsed,
    coresPlanned: row.coresPlanned,
    machinesLinked: row.machinesLinked,
    machinesPlanned: row.machinesPlanned,
    note: row.note ?? '',
    row: fitText(JSON.stringify(row)),
  };
}

/** A row written by `licenseEntity`; one cut short by the property limit loses its per-subscription counts only. */
function parseRow(text: string): PlanLicenseRow {
  try {
    return JSON.parse(text) as PlanLicenseRow;
  } catch {
    const cut = text.indexOf(',"plannedBySubscription"');
    return { ...(JSON.parse(`${text.slice(0, cut)}}`) as PlanLicenseRow), plannedBySubscription: {} };
  }
}
