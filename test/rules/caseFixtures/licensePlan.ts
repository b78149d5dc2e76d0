/** Fixtures shared by the rule cases that came from the licensePlan group (one file per rule in ../cases). */
import type { PlanAssignment, PlanLicenseRow, UnplannedNeed } from '../../../shared/domain/licensePlan.js';
import { planLicenses } from '../../../shared/plan/licensePlan.js';
import { AFTER_EOS, BEFORE_EOS, esuLicense, ledgerOf, need, PLAN_SETTINGS, type MachineSpec } from '../../plan/planEstate.js';

/** The plan's two rules over subjects the real plan produced (test/plan/ has the plan's own cases). */

export const existing = esuLicense({ name: 'vcore-32', processors: 32 });
const planOf = (machines: readonly MachineSpec[], asOf = BEFORE_EOS) =>
  planLicenses({ licenses: ledgerOf([existing, esuLicense({ name: 'big', type: 'pCore', processors: 96 })]).entries(), needs: machines.map(need) }, PLAN_SETTINGS, asOf);
export const placed = (machines: readonly MachineSpec[], name: string, asOf?: Date) => (): PlanAssignment => {
  const found = planOf(machines, asOf).assignments.find((a) => a.need.machineName === name);
  if (!found) throw new Error(`${name} is not placed`);
  return found;
};
export const unplaced = (machine: MachineSpec, asOf?: Date) => (): UnplannedNeed => {
  const found = planOf([machine], asOf).unplanned[0];
  if (!found) throw new Error(`${machine.name} is placed`);
  return found;
};
export const row = (machines: readonly MachineSpec[], name: string, asOf?: Date) => (): PlanLicenseRow => {
  const found = planOf(machines, asOf).licenses.find((r) => r.name === name);
  if (!found) throw new Error(`no row ${name}`);
  return found;
};
export const ws2016 = { now: BEFORE_EOS };
export const ws2016Active = { now: AFTER_EOS };
export const vms = [{ name: 'a', cores: 16 }, { name: 'b', cores: 16 }, { name: 'c', cores: 12 }];
