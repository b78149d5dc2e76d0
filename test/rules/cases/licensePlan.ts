import type { PlanAssignment, PlanLicenseRow, UnplannedNeed } from '../../../shared/domain/licensePlan.js';
import { planLicenses } from '../../../shared/plan/licensePlan.js';
import type { RuleCase } from '../../support/ruleHarness.js';
import { AFTER_EOS, BEFORE_EOS, esuLicense, ledgerOf, need, PLAN_SETTINGS, type MachineSpec } from '../../plan/planEstate.js';

/** The plan's two rules over subjects the real plan produced (test/plan/ has the plan's own cases). */
const M = 'ESU.Machine.LicensePlan';
const L = 'ESU.License.Plan';

const existing = esuLicense({ name: 'vcore-32', processors: 32 });
const planOf = (machines: readonly MachineSpec[], asOf = BEFORE_EOS) =>
  planLicenses({ licenses: ledgerOf([existing, esuLicense({ name: 'big', type: 'pCore', processors: 96 })]).entries(), needs: machines.map(need) }, PLAN_SETTINGS, asOf);
const placed = (machines: readonly MachineSpec[], name: string, asOf?: Date) => (): PlanAssignment => {
  const found = planOf(machines, asOf).assignments.find((a) => a.need.machineName === name);
  if (!found) throw new Error(`${name} is not placed`);
  return found;
};
const unplaced = (machine: MachineSpec, asOf?: Date) => (): UnplannedNeed => {
  const found = planOf([machine], asOf).unplanned[0];
  if (!found) throw new Error(`${machine.name} is placed`);
  return found;
};
const row = (machines: readonly MachineSpec[], name: string, asOf?: Date) => (): PlanLicenseRow => {
  const found = planOf(machines, asOf).licenses.find((r) => r.name === name);
  if (!found) throw new Error(`no row ${name}`);
  return found;
};
const ws2016 = { now: BEFORE_EOS };
const ws2016Active = { now: AFTER_EOS };
const vms = [{ name: 'a', cores: 16 }, { name: 'b', cores: 16 }, { name: 'c', cores: 12 }];

export const LICENSE_PLAN_CASES: readonly RuleCase[] = [
  { ruleId: M, name: 'warn before WS2016 ESU starts: link to the existing license with room, one link job', subject: placed(vms, 'a'), context: ws2016, expect: ['LicensePlan.PassedWithWarning.LinkBeforeDeadline'], jobs: ['link-license'], evidence: { licenseName: 'vcore-32', licenseExists: true, cores: 16, coreType: 'vCore' }, messageIncludes: ['vcore-32', '16 of its vCore cores'] },
  { ruleId: M, name: 'warn: a machine for a proposed license links once it is created', subject: placed(vms, 'c'), context: ws2016, expect: ['LicensePlan.PassedWithWarning.LinkBeforeDeadline'], jobs: ['link-license'], evidence: { licenseName: 'esu-ws2016-standard-vcore-westeurope', licenseExists: false }, messageIncludes: ['once it is created'] },
  { ruleId: M, name: 'fail once WS2016 ESU has started', subject: placed(vms, 'a', AFTER_EOS), context: ws2016Active, expect: ['LicensePlan.Failed.Link'], jobs: ['link-license'], messageIncludes: ['has started'] },
  { ruleId: M, name: 'fail: no core count, with the command that reads what Azure reports', subject: unplaced({ name: 'x' }, AFTER_EOS), context: ws2016Active, expect: ['LicensePlan.Failed.NeedsCoreCount'], jobs: ['report-cores'], evidence: { cores: null } },
  { ruleId: M, name: 'warn: no host type before the program starts', subject: unplaced({ name: 'x', host: 'Unknown', cores: 8 }), context: ws2016, expect: ['LicensePlan.PassedWithWarning.NeedsHostTypeBeforeDeadline'], jobs: ['report-cores'] },
  { ruleId: M, name: 'fail: an absurd core count is left out', subject: unplaced({ name: 'x', cores: 50_000 }, AFTER_EOS), context: ws2016Active, expect: ['LicensePlan.Failed.AbsurdCoreCount'], jobs: ['report-cores'], messageIncludes: ['50000 cores'] },
  { ruleId: M, name: 'not applicable: a program that has ended', subject: placed([{ name: 'old', cores: 8, program: 'WS2012' }], 'old'), context: ws2016, expect: [] },

  { ruleId: L, name: 'warn before billing starts: create the proposed license, one create job', subject: row(vms, 'esu-ws2016-standard-vcore-westeurope'), context: ws2016, expect: ['LicensePlan.PassedWithWarning.CreateBeforeDeadline'], jobs: ['create-license'], evidence: { processorsAfter: 12, machinesPlanned: 1, edition: 'Standard', coreType: 'vCore' }, messageIncludes: ['13 January 2027'] },
  { ruleId: L, name: 'fail after the program started: created now, back-billed', subject: row(vms, 'esu-ws2016-standard-vcore-westeurope', AFTER_EOS), context: ws2016Active, expect: ['LicensePlan.Failed.Create'], jobs: ['create-license'], messageIncludes: ['back-billed to 12 January 2027'] },
  { ruleId: L, name: 'warn: shrink a license bigger than its machines need, with a resize job', subject: row([{ name: 'h', host: 'Physical', cores: 24 }], 'big'), context: ws2016, expect: ['LicensePlan.PassedWithWarning.Shrink'], jobs: ['resize-license'], evidence: { processors: 96, processorsAfter: 24 }, messageIncludes: ['reduce it to 24'] },
  { ruleId: L, name: 'pass: an existing license that keeps its cores and takes machines', subject: row(vms, 'vcore-32'), context: ws2016, expect: ['LicensePlan.Passed'] },
  { ruleId: L, name: 'not applicable: an idle license is ESU.License.Unused\'s', subject: row([], 'vcore-32'), context: ws2016, expect: [] },
];
