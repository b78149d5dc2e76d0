/** Fixtures shared by the rule cases that came from the machineOperations group (one file per rule in ../cases). */

/** NOW in the harness is 2026-09-01T00:00:00Z (WS2012 ESU active, WS2016 upcoming). */
export const WS2019 = { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763' };
export const LINUX = { osName: 'ubuntu', osSku: null, osType: 'linux', osVersion: '22.04' };
export const ENROLLED = { licenseAssignmentState: 'Assigned' };
export const legacy = (osName: string | null, extra: Record<string, unknown> = {}) => ({ osName, osSku: null, osVersion: '6.1.7601', ...extra });
export const VM_DETECTED = { manufacturer: 'VMware, Inc.', model: 'VMware Virtual Platform', logicalCoreCount: '4', coreCount: '2' };
