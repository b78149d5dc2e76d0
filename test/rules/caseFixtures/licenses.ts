/** Fixtures shared by the rule cases that came from the licenses group (one file per rule in ../cases). */
import { SUBSCRIPTION_ID, type MachineOverrides } from '../../support/armFixtures.js';

/** The license fixture's immutable id and resource id (see armLicense). */
const IMMUTABLE_ID = '11111111-2222-4333-8444-555555555555';
export const LICENSE_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-esu/providers/Microsoft.HybridCompute/licenses/esu-license-01`;
const LINKED = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: IMMUTABLE_ID };

/** A physical server with `cores` cores (undefined: no core count reported), linked to the fixture license. */
export const physical = (name: string, cores?: number): MachineOverrides => ({
  name,
  properties: {
    detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge R730', ...(cores !== undefined ? { coreCount: String(cores) } : {}) },
    hardwareProfile: cores !== undefined ? { numberOfCpuSockets: 1, processors: [{ name: 'Xeon', numberOfCores: cores }] } : null,
  },
  esuProfile: LINKED,
});

/** A VMware VM with `vcpus` vCPUs (undefined: none reported), linked to the fixture license. */
export const vm = (name: string, vcpus?: number): MachineOverrides => ({
  name,
  properties: {
    detectedProperties: { manufacturer: 'VMware, Inc.', model: 'VMware7,1', ...(vcpus !== undefined ? { logicalCoreCount: String(vcpus), coreCount: String(vcpus) } : {}) },
    hardwareProfile: null,
  },
  esuProfile: LINKED,
});

/** No kind, cluster, cloud or vendor reported: host type unknown. */
export const unknownHost = (name: string): MachineOverrides => ({ name, properties: { detectedProperties: {}, hardwareProfile: null }, esuProfile: LINKED });

export const many = (count: number, make: (name: string) => MachineOverrides): MachineOverrides[] =>
  Array.from({ length: count }, (_, index) => make(`srv-${String(index + 1).padStart(2, '0')}`));

