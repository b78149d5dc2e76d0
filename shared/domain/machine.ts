import { esuUsageTagOf, parseArmResource, type ArmResourceBase, type ParseResult } from './armResource.js';
import type { EveryField } from './everyField.js';
import { asBoolean, asNumber, asRecord, asString, asStringRecord } from './read.js';

/** An Azure Arc-enabled server, normalised from `Microsoft.HybridCompute/machines` (api-version ≥ 2024-07-10). */
export interface ArcMachine extends ArmResourceBase {
  readonly kind?: string;
  readonly status?: string;
  readonly lastStatusChange?: string;
  /** `errorDetails` as `code: message` lines (set when status is Error). */
  readonly errorDetails: readonly string[];
  /** Raw agent version text, parsed by the rules that need it. */
  readonly agentVersion?: string;
  readonly osName?: string;
  readonly osVersion?: string;
  readonly osSku?: string;
  readonly osEdition?: string;
  readonly osType?: string;
  readonly parentClusterResourceId?: string;
  readonly cloudProvider?: string;
  readonly mssqlDiscovered: boolean;
  /** Lower-cased keys: `coreCount`, `logicalCoreCount`, `manufacturer`, `model`, ... */
  readonly detectedProperties: Readonly<Record<string, string>>;
  readonly hardware?: { readonly sockets?: number; readonly cores?: number };
  readonly assessmentMode?: string;
  readonly esu: EsuProfile;
  /** The `ESU Usage` tag (dev/test and disaster-recovery exceptions), upper-cased. */
  readonly esuUsage?: string;
}

export interface EsuProfile {
  readonly licenseAssignmentState?: string;
  readonly esuEligibility?: string;
  readonly esuKeyState?: string;
  readonly serverType?: string;
  readonly assignedLicenseImmutableId?: string;
  readonly assignedLicenseId?: string;
  /** `esuKeys`: the ESU keys the machine holds (`sku`, `licenseStatus`), evidence of key-based enrolment. */
  readonly esuKeys?: readonly { readonly sku?: string; readonly licenseStatus?: number | string }[];
}

/** Normalises one raw list item; only a missing id makes it unusable, every other gap stays visible as undefined. */
export function parseMachine(raw: unknown): ParseResult<ArcMachine> {
  const envelope = parseArmResource(raw);
  if (!envelope.ok) return envelope;
  const { base, item, properties } = envelope.value;
  const esuProfile = asRecord(asRecord(properties['licenseProfile'])?.['esuProfile']) ?? {};
  const assignedLicense = esuProfile['assignedLicense'];
  const windowsPatch = asRecord(asRecord(asRecord(properties['osProfile'])?.['windowsConfiguration'])?.['patchSettings']);
  const detectedProperties = asStringRecord(properties['detectedProperties']);
  const machine: EveryField<ArcMachine> = {
    id: base.id,
    name: base.name,
    subscriptionId: base.subscriptionId,
    resourceGroup: base.resourceGroup,
    location: base.location,
    kind: asString(item['kind']),
    status: asString(properties['status']),
    lastStatusChange: asString(properties['lastStatusChange']),
    errorDetails: parseErrorDetails(properties['errorDetails']),
    agentVersion: typeof properties['agentVersion'] === 'string' ? properties['agentVersion'] : undefined,
    osName: asString(properties['osName']),
    osVersion: asString(properties['osVersion']),
    osSku: asString(properties['osSku']),
    osEdition: asString(properties['osEdition']),
    osType: asString(properties['osType']),
    parentClusterResourceId: asString(properties['parentClusterResourceId']),
    cloudProvider: asString(asRecord(properties['cloudMetadata'])?.['provider']),
    mssqlDiscovered:
      asBoolean(properties['mssqlDiscovered']) ?? asBoolean(detectedProperties['mssqldiscovered']) ?? false,
    detectedProperties,
    hardware: parseHardwareProfile(properties['hardwareProfile']),
    assessmentMode: asString(windowsPatch?.['assessmentMode']),
    esu: {
      licenseAssignmentState: asString(esuProfile['licenseAssignmentState']),
      esuEligibility: asString(esuProfile['esuEligibility']),
      esuKeyState: asString(esuProfile['esuKeyState']),
      serverType: asString(esuProfile['serverType']),
      assignedLicenseImmutableId: asString(esuProfile['assignedLicenseImmutableId']),
      assignedLicenseId: asString(assignedLicense) ?? asString(asRecord(assignedLicense)?.['id']),
      esuKeys: parseEsuKeys(esuProfile['esuKeys']),
    },
    esuUsage: esuUsageTagOf(item),
  };
  return { ok: true, value: machine };
}

function parseEsuKeys(raw: unknown): EsuProfile['esuKeys'] {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return raw.flatMap((key) => {
    const record = asRecord(key);
    if (!record) return [];
    const status = record['licenseStatus'];
    return [{ sku: asString(record['sku']), licenseStatus: typeof status === 'number' || typeof status === 'string' ? status : undefined }];
  });
}

function parseHardwareProfile(raw: unknown): ArcMachine['hardware'] {
  const profile = asRecord(raw);
  if (!profile) return undefined;
  const processors = Array.isArray(profile['processors']) ? profile['processors'] : [];
  const coreCounts = processors.map((processor) => asNumber(asRecord(processor)?.['numberOfCores']));
  const cores = coreCounts.length > 0 && coreCounts.every((count) => count !== undefined)
    ? coreCounts.reduce<number>((sum, count) => sum + (count ?? 0), 0)
    : undefined;
  return { sockets: asNumber(profile['numberOfCpuSockets']), cores };
}

function parseErrorDetails(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((detail) => {
    const record = asRecord(detail);
    const code = asString(record?.['code']);
    const message = asString(record?.['message']);
    return code || message ? [[code, message].filter(Boolean).join(': ')] : [];
  });
}
