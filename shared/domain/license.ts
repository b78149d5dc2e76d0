import { parseResourceId } from './resourceId.js';
import { asNumber, asRecord, asString } from './read.js';
import type { ParseResult } from './machine.js';

/** An ESU license resource (`Microsoft.HybridCompute/licenses`), normalised; gaps stay undefined. */
export interface EsuLicense {
  readonly id: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly licenseType?: string;
  readonly hasDetails: boolean;
  readonly state?: string;
  readonly target?: string;
  readonly edition?: string;
  readonly type?: string;
  /** Cores provisioned; undefined when missing or not a number. */
  readonly processors?: number;
  readonly processorsRaw?: unknown;
  readonly immutableId?: string;
}

export function parseLicense(raw: unknown): ParseResult<EsuLicense> {
  const item = asRecord(raw);
  if (!item) return { ok: false, reason: 'item is not a JSON object' };
  const id = asString(item['id']);
  if (!id) return { ok: false, reason: 'item has no resource id' };
  const parts = parseResourceId(id);
  const properties = asRecord(item['properties']) ?? {};
  const details = asRecord(properties['licenseDetails']);
  return {
    ok: true,
    value: {
      id,
      name: asString(item['name']) ?? parts.name,
      subscriptionId: parts.subscriptionId,
      resourceGroup: parts.resourceGroup,
      licenseType: asString(properties['licenseType']),
      hasDetails: details !== undefined,
      state: asString(details?.['state']),
      target: asString(details?.['target']),
      edition: asString(details?.['edition']),
      type: asString(details?.['type']),
      processors: asNumber(details?.['processors']),
      processorsRaw: details?.['processors'],
      immutableId: asString(details?.['immutableId']),
    },
  };
}
