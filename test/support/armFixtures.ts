/**
 * Raw ARM payloads in the shape `Microsoft.HybridCompute` returns (api-version 2025-01-13), with
 * overrides per test. Tests parse them with the production parsers, as a scan does.
 */
export const SUBSCRIPTION_ID = '00000000-1111-4222-8333-444444444444';

type Json = Record<string, unknown>;

export interface MachineOverrides {
  readonly name?: string;
  readonly kind?: string | null;
  /** Merged over the default properties (shallow). */
  readonly properties?: Json;
  readonly esuProfile?: Json;
  readonly tags?: Json;
}

export function armMachine(overrides: MachineOverrides = {}): Json {
  const name = overrides.name ?? 'srv-2012r2-01';
  return {
    id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-servers/providers/Microsoft.HybridCompute/machines/${name}`,
    name,
    location: 'westeurope',
    type: 'Microsoft.HybridCompute/machines',
    kind: overrides.kind ?? null,
    ...(overrides.tags ? { tags: overrides.tags } : {}),
    properties: {
      provisioningState: 'Succeeded',
      agentVersion: '1.45.02880.1846',
      status: 'Connected',
      lastStatusChange: '2026-08-31T22:10:00Z',
      osName: 'Windows Server 2012 R2 Datacenter',
      osVersion: '6.3.9600',
      osType: 'windows',
      osSku: 'Windows Server 2012 R2 Datacenter',
      mssqlDiscovered: 'false',
      detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge R730', coreCount: '16', logicalCoreCount: '32' },
      hardwareProfile: { numberOfCpuSockets: 2, processors: [{ name: 'Xeon', numberOfCores: 8 }, { name: 'Xeon', numberOfCores: 8 }] },
      osProfile: { windowsConfiguration: { patchSettings: { assessmentMode: 'AutomaticByPlatform' } } },
      licenseProfile: {
        esuProfile: {
          licenseAssignmentState: 'NotAssigned',
          esuEligibility: 'Eligible',
          esuKeyState: 'Inactive',
          serverType: 'Datacenter',
          ...overrides.esuProfile,
        },
      },
      ...overrides.properties,
    },
  };
}

export interface LicenseOverrides {
  readonly name?: string;
  readonly licenseType?: unknown;
  /** `null` removes licenseDetails entirely. */
  readonly details?: Json | null;
  readonly tags?: Json;
}

export function armLicense(overrides: LicenseOverrides = {}): Json {
  const name = overrides.name ?? 'esu-license-01';
  const details = overrides.details === null ? undefined : {
    state: 'Activated',
    target: 'Windows Server 2012 R2',
    edition: 'Standard',
    type: 'pCore',
    processors: 16,
    immutableId: '11111111-2222-4333-8444-555555555555',
    ...overrides.details,
  };
  return {
    id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-esu/providers/Microsoft.HybridCompute/licenses/${name}`,
    name,
    type: 'Microsoft.HybridCompute/licenses',
    location: 'westeurope',
    ...(overrides.tags ? { tags: overrides.tags } : {}),
    properties: {
      licenseType: 'licenseType' in overrides ? overrides.licenseType : 'ESU',
      tenantId: '00000000-0000-0000-0000-000000000000',
      ...(details ? { licenseDetails: details } : {}),
    },
  };
}
