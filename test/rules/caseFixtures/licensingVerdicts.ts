/** Fixtures shared by the rule cases that came from the licensingVerdicts group (one file per rule in ../cases). */
import { parseMachine } from '../../../shared/domain/machine.js';
import { toMachineSubject } from '../../../shared/rules/machineSubject.js';
import { LicenseLedger, type LicenseLedgerEntry } from '../../../shared/plan/licenseLedger.js';
import { armMachine, type MachineOverrides } from '../../support/armFixtures.js';
import { parsedLicense } from '../../support/ruleHarness.js';

/** The tenant ledger's entries when machines link to licenses the scan may or may not have read. */
export const ledgerOf = (registered: ReturnType<typeof parsedLicense>[], linked: readonly MachineOverrides[], pick: (entries: LicenseLedgerEntry[]) => LicenseLedgerEntry | undefined) => (): LicenseLedgerEntry => {
  const ledger = new LicenseLedger();
  for (const license of registered) ledger.registerLicense(license);
  for (const overrides of linked) {
    const parsed = parseMachine(armMachine(overrides));
    if (!parsed.ok) throw new Error(parsed.reason);
    const subject = toMachineSubject(parsed.value);
    ledger.addLink(subject.link, { machineId: subject.id, machineName: subject.name, subscriptionId: subject.subscriptionId, hostType: subject.host.type, cores: subject.host.cores, inScope: subject.inScope });
  }
  const entry = pick(ledger.entries());
  if (!entry) throw new Error('no such ledger entry');
  return entry;
};
export const ASSIGNED = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' };
export const linkedTo = (name: string, esuProfile: Record<string, unknown>): MachineOverrides => ({ name, esuProfile: { licenseAssignmentState: 'Assigned', ...esuProfile } });

/**
 * Licensing as Microsoft decides it (issue 10), one row per decision, each citing the sentence it encodes:
 * "License provisioning guidelines for ESU" (scenarios 2, 5, 7, 8 and the Important box), "Deliver ESU", the
 * DINE policy (GuestConfiguration_ArcESU_DINE.json: `esuEligibility` equals `Eligible`) and the REST spec.
 * The harness evaluates on 2026-09-01, while Windows Server 2012 ESU ran.
 */
export const vm = (logicalCores: number, extra: Record<string, unknown> = {}, kind = 'VMware', serverType = 'Standard') => ({
  kind,
  properties: {
    osName: `Windows Server 2012 R2 ${serverType}`, osSku: `Windows Server 2012 R2 ${serverType}`,
    detectedProperties: { manufacturer: 'VMware, Inc.', model: 'VMware7,1', coreCount: String(Math.max(1, logicalCores / 2)), logicalCoreCount: String(logicalCores) },
    hardwareProfile: { numberOfCpuSockets: 1, processors: [{ name: 'vCPU', numberOfCores: Math.max(1, logicalCores / 2) }] },
    ...extra,
  },
  esuProfile: { serverType },
});
export const dc = (name: string, processors: number, details: Record<string, unknown> = {}) => parsedLicense({ name, details: { edition: 'Datacenter', processors, immutableId: `imm-${name}`, ...details } });
