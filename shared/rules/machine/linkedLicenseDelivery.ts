import type { EvaluationContext, MachineSubject } from '../context.js';
import { formatDay, phaseOf, programOfTarget, targetForFamily } from '../../programs/program.js';
import { stateOf } from '../../plan/licenseFacts.js';
import type { ProgramStanding } from '../programFacts.js';

/**
 * Why a linked license cannot deliver the machine's ESU, and which finding says so first (the root): the others
 * (ESU.Machine.Enrolled, ESU.Machine.EsuKeyActive) are not Passed and point to it, so one verdict never
 * contradicts another and only the root carries the fix.
 */
export interface UndeliverableLink {
  /**
   * `otherProgram`: the license targets another program's OS; `deactivated`: the license is Deactivated;
   * `noProgram`: no running ESU program covers the machine's OS (a machine upgraded past its program, say).
   */
  readonly reason: 'otherProgram' | 'deactivated' | 'noProgram';
  readonly rootRuleId: string;
  readonly rootMessageId: string;
  readonly cannotDeliver: string;
}

/**
 * The linked license (when it is in the machine's subscription: another subscription's license is judged by the
 * tenant rules) against the program the machine needs. A Windows Server 2012 license on a 2012 R2 machine delivers
 * (license guidelines, scenario 4): only another program's target counts as wrong.
 */
export function undeliverableLink(machine: MachineSubject, standing: ProgramStanding, context: EvaluationContext): UndeliverableLink | undefined {
  const license = machine.linkedLicense;
  if (!machine.link.assigned || !license) return undefined;
  const licenseProgram = programOfTarget(context.settings.programs, license.target);
  if (licenseProgram && licenseProgram.id !== standing.program.id) {
    const ended = phaseOf(licenseProgram, context.now) === 'ended' ? `, whose ESU ended on ${formatDay(licenseProgram.esuEnd)}` : '';
    const expected = targetForFamily(machine.osFamily) ?? standing.program.licenseTargets[0] ?? standing.program.name;
    return {
      reason: 'otherProgram',
      rootRuleId: 'ESU.Machine.LicenseOnIneligibleOs',
      rootMessageId: 'LicenseOnIneligibleOs.Failed.ProgramMismatch',
      cannotDeliver: `it targets ${license.target} (${licenseProgram.name}${ended}), not ${expected}`,
    };
  }
  if (stateOf(license.state) === 'Deactivated') {
    return {
      reason: 'deactivated',
      rootRuleId: 'ESU.License.Activated',
      rootMessageId: standing.phase === 'upcoming' ? 'LicenseActivated.PassedWithWarning.DeactivatedBeforeStart' : 'LicenseActivated.Failed.Deactivated',
      cannotDeliver: 'it is Deactivated',
    };
  }
  return undefined;
}

/** A linked machine whose OS no running program covers (ESU.Machine.LicenseOnIneligibleOs fails it); undefined for an unknown OS. */
export function linkWithoutProgram(machine: MachineSubject): UndeliverableLink | undefined {
  if (!machine.link.assigned || machine.osFamily === 'Unknown') return undefined;
  return {
    reason: 'noProgram',
    rootRuleId: 'ESU.Machine.LicenseOnIneligibleOs',
    rootMessageId: 'LicenseOnIneligibleOs.Failed.IneligibleOs',
    cannotDeliver: `the machine runs ${machine.osName ?? machine.osFamily}, which no running ESU program covers`,
  };
}

/** Evidence of a finding that points to the root, field by field. */
export function undeliverableEvidence(problem: UndeliverableLink) {
  return { cannotDeliver: problem.cannotDeliver, cannotDeliverReason: problem.reason, rootRuleId: problem.rootRuleId, rootMessageId: problem.rootMessageId };
}
