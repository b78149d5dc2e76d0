import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { isActive, type Suppression } from '../../domain/suppression.js';
import type { ActiveSuppressions } from '../../scan/findingPorts.js';
/** One partition holds them all: a tenant has tens of suppressions, read at once by each subscription scan. */
const SUPPRESSION_PARTITION = 'suppression';

/** Suppressions, in their own small table (`esusuppressions`), so reading them never scans the findings. */
export class SuppressionStore implements ActiveSuppressions {
  constructor(private readonly table: TableClient) {}

  async add(input: Omit<Suppression, 'id' | 'createdAt'>, now: Date = new Date()): Promise<Suppression> {
    const suppression: Suppression = { ...input, id: randomUUID(), createdAt: now.toISOString() };
    // A fresh id: a 409 can only be this create, retried by the pipeline after its first attempt landed.
    await this.table.createEntity(entityOf(suppression)).catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    });
    return suppression;
  }

  /** Writes a suppression as it is, id and dates included (an import): writing it twice is writing it once. */
  async put(suppression: Suppression): Promise<void> {
    await this.table.upsertEntity(entityOf(suppression), 'Replace');
  }

  async remove(id: string): Promise<boolean> {
    try {
      await this.table.deleteEntity(SUPPRESSION_PARTITION, id);
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  async list(): Promise<Suppression[]> {
    const rows = this.table.listEntities<Record<string, string>>({ queryOptions: { filter: odata`PartitionKey eq ${SUPPRESSION_PARTITION}` } });
    const suppressions: Suppression[] = [];
    for await (const row of rows) {
      suppressions.push({
        id: row.rowKey ?? '',
        ...(row['ruleId'] ? { ruleId: row['ruleId'] } : {}),
        ...(row['resourceId'] ? { resourceId: row['resourceId'] } : {}),
        reason: row['reason'] ?? '',
        owner: row['owner'] ?? '',
        expiresAt: row['expiresAt'] ?? '',
        createdAt: row['createdAt'] ?? '',
      });
    }
    return suppressions.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async listActive(now: Date): Promise<Suppression[]> {
    return (await this.list()).filter((s) => isActive(s, now));
  }
}

/** A suppression as its row: one shape for a new one and an imported one. */
function entityOf(suppression: Suppression) {
  return {
    partitionKey: SUPPRESSION_PARTITION,
    rowKey: suppression.id,
    ruleId: suppression.ruleId ?? '',
    resourceId: suppression.resourceId ?? '',
    reason: suppression.reason,
    owner: suppression.owner,
    expiresAt: suppression.expiresAt,
    createdAt: suppression.createdAt,
  };
}
