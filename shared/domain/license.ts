import { esuUsageTagOf, parseArmResource, type ArmResourceBase, type ParseResult } from './armResource.js';
import type { EveryField } from './everyField.js';
import { asNumber, asRecord, asString } from './read.js';

/** An ESU license resource (`Microsoft.HybridCompute/licenses`), normalised; gaps stay undefined. */
export interface EsuLicense extends ArmResourceBase {
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
  /** `licenseDetails.assignedLicenses` (read-only; Azure's count of assignments), for evidence only. */
  readonly assignedLicenses?: number;
  /** The `ESU Usage` tag (dev/test, disaster recovery, multipurpose), upper-cased. */
  readonly esuUsage?: string;
}

export function parseLicense(raw: unknown): ParseResult<EsuLicense> {
  const envelope = parseArmResource(raw);
  if (!envelope.ok) return envelope;
  const { base, properties } = envelope.value;
  const details = asRecord(properties['licenseDetails']);
  const license: EveryField<EsuLicense> = {
    id: base.id,
    name: base.name,
    subscriptionId: base.subscriptionId,
    resourceGroup: base.resourceGroup,
    location: base.location,
    licenseType: asString(properties['licenseType']),
    hasDetails: details !== undefined,
    state: asString(details?.['state']),
    target: asString(details?.['target']),
    edition: asString(details?.['edition']),
    type: asString(details?.['type']),
    processors: asNumber(details?.['processors']),
    processorsRaw: details?.['processors'],
    immutableId: asString(details?.['immutableId']),
    assignedLicenses: asNumber(details?.['assignedLicenses']),
    esuUsage: esuUsageTagOf(envelope.value.item),
  };
  return { ok: true, value: license };
}
