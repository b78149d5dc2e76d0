/** Fixtures shared by the rule cases that came from the machineLicensing group (one file per rule in ../cases). */

/** Machine rules about the ESU license link: Enrolled, FreeEsuEnvironment, EsuKeyActive, LicenseOnIneligibleOs. */

const IMMUTABLE_ID = '11111111-2222-4333-8444-555555555555';
export const assigned = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: IMMUTABLE_ID };

const standardServer = { osName: 'Windows Server 2012 R2 Standard', osSku: 'Windows Server 2012 R2 Standard' };
export const vmwareVm = (cores: number) => ({
  kind: 'VMware',
  // A VM's guest reports its virtual processors as logicalCoreCount (what licensing counts, scenario 8).
  properties: { ...standardServer, detectedProperties: { manufacturer: 'VMware, Inc.', model: 'VMware7,1', coreCount: String(cores), logicalCoreCount: String(cores) }, hardwareProfile: { numberOfCpuSockets: 1, processors: [{ name: 'vCPU', numberOfCores: cores }] } },
  esuProfile: { serverType: 'Standard' },
});
export const unknownHost = { properties: { ...standardServer, detectedProperties: {}, hardwareProfile: null }, esuProfile: { serverType: 'Standard' } };
export const hci = { kind: 'HCI' };
