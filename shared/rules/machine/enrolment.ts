import type { MachineNeed } from '../../domain/licenseNeed.js';
import { targetForFamily } from '../../programs/program.js';
import type { EvaluationContext, MachineSubject } from '../context.js';
import { deliveryProgram, freeEnvironmentFor, type ProgramStanding } from '../programFacts.js';
import { serverTypeOf, type ServerType } from './licenseFit.js';
import { esuProfileMissing, isKnownAssignmentState } from './licenseLinkFacts.js';

/**
 * Where a machine stands on ESU enrolment, decided once: `ESU.Machine.Enrolled` turns it into a finding, and the
 * subscription scan hands every `needs-license` machine to the tenant's license plan.
 */
export type Enrolment =
  | { readonly kind: 'linked'; readonly standing: ProgramStanding }
  | { readonly kind: 'no-esu-profile' | 'unknown-state' | 'key-enrolled' | 'eligibility-unknown'; readonly standing: ProgramStanding }
  | { readonly kind: 'needs-license'; readonly standing: ProgramStanding; readonly serverType: ServerType; readonly serverTypeBasis: string; readonly target: string };

/** Undefined when enrolment does not apply: no program to deliver, a free environment, or an Ineligible machine. */
export function enrolmentOf(machine: MachineSubject, context: EvaluationContext): Enrolment | undefined {
  const standing = deliveryProgram(machine, context);
  if (!standing || freeEnvironmentFor(machine, standing.program) !== undefined) return undefined;
  if (machine.link.assigned) return { kind: 'linked', standing };
  if (esuProfileMissing(machine)) return { kind: 'no-esu-profile', standing };
  const state = machine.esu.licenseAssignmentState;
  if (state !== undefined && !isKnownAssignmentState(state)) return { kind: 'unknown-state', standing };
  // Scenario 5: servers enrolled through an activated MAK key count as enrolled.
  if (machine.esu.esuKeyState?.toLowerCase() === 'active') return { kind: 'key-enrolled', standing };
  // The enable policy and the portal act only on Eligible machines: Ineligible is ESU.Machine.Eligibility's to explain.
  const eligibility = machine.esu.esuEligibility?.toLowerCase();
  if (eligibility === 'ineligible') return undefined;
  if (eligibility === 'unknown') return { kind: 'eligibility-unknown', standing };
  const { serverType, serverTypeBasis } = serverTypeOf(machine);
  const target = targetForFamily(machine.osFamily) ?? standing.program.licenseTargets[0] ?? 'unknown';
  return { kind: 'needs-license', standing, serverType, serverTypeBasis, target };
}

/** What the license plan needs to know of a machine that needs a license. */
export function machineNeedOf(machine: MachineSubject, enrolment: Extract<Enrolment, { kind: 'needs-license' }>): MachineNeed {
  return {
    machineId: machine.id,
    machineName: machine.name,
    subscriptionId: machine.subscriptionId,
    resourceGroup: machine.resourceGroup,
    ...(machine.location !== undefined ? { location: machine.location } : {}),
    programId: enrolment.standing.program.id,
    target: enrolment.target,
    hostType: machine.host.type,
    serverType: enrolment.serverType === 'unknown' ? 'unknown' : enrolment.serverType,
    ...(machine.host.cores !== undefined ? { cores: machine.host.cores } : {}),
    ...(machine.esuUsage !== undefined ? { esuUsage: machine.esuUsage } : {}),
  };
}
