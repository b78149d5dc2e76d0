import type { MachineSubject } from '../context.js';

/** Helpers shared by the machine licensing rules (Enrolled, FreeEsuEnvironment, EsuKeyActive, LicenseOnIneligibleOs). */

/** The reported `licenseAssignmentState`, or `missing`. */
export function assignmentStateOf(machine: MachineSubject): string {
  return machine.esu.licenseAssignmentState ?? 'missing';
}

/** True when the machine reports no usable field of `licenseProfile.esuProfile` at all. */
export function esuProfileMissing(machine: MachineSubject): boolean {
  return Object.values(machine.esu).every((value) => value === undefined);
}

/** `Assigned` / `NotAssigned` (any casing) are the documented values; anything else is unknown. */
export function isKnownAssignmentState(state: string | undefined): boolean {
  return state !== undefined && /^(assigned|notassigned)$/i.test(state);
}

/** How the machine names its linked license, for evidence: flat strings, `null` when not reported. */
export type LinkEvidence = {
  readonly licenseAssignmentState: string;
  readonly linkedLicenseId: string | null;
  readonly linkedLicenseImmutableId: string | null;
  readonly linkedLicenseName: string | null;
};

export function linkEvidence(machine: MachineSubject): LinkEvidence {
  return {
    licenseAssignmentState: assignmentStateOf(machine),
    linkedLicenseId: machine.linkedLicense?.id ?? machine.link.licenseId ?? null,
    linkedLicenseImmutableId: machine.link.immutableId ?? null,
    linkedLicenseName: machine.linkedLicense?.name ?? null,
  };
}

/** A readable name for the linked license in messages. */
export function linkedLicenseLabel(evidence: Readonly<Record<string, unknown>>): string {
  const name = evidence['linkedLicenseName'];
  if (typeof name === 'string') return `"${name}"`;
  const id = evidence['linkedLicenseId'] ?? evidence['linkedLicenseImmutableId'];
  return typeof id === 'string' ? `(${id})` : '(not named in the machine data)';
}
