import type { PlanAssignment, UnplannedNeed } from '../../domain/licensePlan.js';
import { formatDay, programById } from '../../programs/program.js';
import { linkLicenseCommands, reportCoresCommands } from '../../remediation/fixes.js';
import type { EvaluationContext } from '../context.js';
import { deadlineText, standingOf } from '../programFacts.js';
import { defineRule } from '../rule.js';

/** One machine of the tenant's license plan: the license it goes on, or why it cannot be planned yet. */
export type PlannedMachineSubject = PlanAssignment | UnplannedNeed;

/**
 * The tenant license plan's advice for one unlinked machine (`shared/plan/`): link it to the license the plan gives
 * it, whose cores no other machine's advice counts on. Evidence holds the decision (license, cores, core type) and
 * the days left, which the fingerprint leaves out but for its deadline stage: the message changes when the plan
 * changes for this machine, or a deadline stage is crossed, and not otherwise.
 */
export const machineLicensePlanRule = defineRule({
  id: 'ESU.Machine.LicensePlan',
  title: 'Unlinked machine has a place in the tenant license plan',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'LicensePlan',
  description:
    'An unlinked machine that needs ESU goes on one license of the tenant: an existing one with room, or one the plan proposes. The plan is computed over every subscription at once, so two machines are never advised onto the same spare cores.',
  recommendation: 'Link the machine to the license the plan names (create the proposed license first, once, with its own job).',
  links: [
    { title: 'License provisioning guidelines for Extended Security Updates', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
    { title: 'Deliver Extended Security Updates', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
  ],
  messages: {
    'Failed.Link': (e) => `${linkText(e)} ${programText(e)} has started: until it is linked the machine receives no ESU.`,
    'PassedWithWarning.LinkBeforeDeadline': (e) => `${linkText(e)} Link it ${deadlineText(e)}.`,
    'Failed.NeedsCoreCount': (e) => `${unplannedText(e)} reports no core count, so the plan cannot size its license: read what Azure reports (the job's command) and fix the agent's hardware data (ESU.Machine.CoreCount).`,
    'PassedWithWarning.NeedsCoreCountBeforeDeadline': (e) => `${unplannedText(e)} reports no core count, so the plan cannot size its license ${deadlineText(e)} (ESU.Machine.CoreCount).`,
    'Failed.NeedsHostType': (e) => `${unplannedText(e)} is not known to be physical or virtual, so the plan cannot choose pCore or vCore (ESU.Machine.CoreCount).`,
    'PassedWithWarning.NeedsHostTypeBeforeDeadline': (e) => `${unplannedText(e)} is not known to be physical or virtual, so the plan cannot choose pCore or vCore ${deadlineText(e)} (ESU.Machine.CoreCount).`,
    'Failed.AbsurdCoreCount': (e) => `${unplannedText(e)} reports ${e['cores']} cores, which no license can hold (at most ${e['maximumLicenseCores']}): the plan leaves it out until the agent reports a real count.`,
    'PassedWithWarning.AbsurdCoreCountBeforeDeadline': (e) => `${unplannedText(e)} reports ${e['cores']} cores, which no license can hold (at most ${e['maximumLicenseCores']}): the plan leaves it out until the agent reports a real count.`,
  },
  evaluate(subject: PlannedMachineSubject, context: EvaluationContext) {
    const program = programById(context.settings.programs, subject.need.programId);
    if (!program) return undefined;
    const standing = standingOf(program, context);
    if (standing.phase === 'ended') return undefined;
    const upcoming = standing.phase === 'upcoming';
    // daysLeft moves with the clock: it is not part of the fingerprint, only its deadline stage is (an escalation).
    const common = { program: program.id, programName: program.name, esuStart: program.esuStart, endOfSupport: program.endOfSupport, daysLeft: standing.daysLeft, target: subject.need.target };
    if ('reason' in subject) {
      const evidence = { ...common, hostType: subject.need.hostType, cores: subject.need.cores ?? null, maximumLicenseCores: context.settings.maximumLicenseCores };
      const reason = subject.reason === 'needs-core-count' ? 'NeedsCoreCount' : subject.reason === 'needs-host-type' ? 'NeedsHostType' : 'AbsurdCoreCount';
      return { key: upcoming ? (`PassedWithWarning.${reason}BeforeDeadline` as const) : (`Failed.${reason}` as const), evidence };
    }
    const evidence = {
      ...common,
      licenseId: subject.licenseId,
      licenseName: subject.licenseName,
      licenseExists: !subject.proposed,
      coreType: subject.coreType,
      cores: subject.cores,
    };
    return { key: upcoming ? 'PassedWithWarning.LinkBeforeDeadline' : 'Failed.Link', evidence };
  },
  remediation: {
    jobType: (outcome) => (outcome.key.includes('Link') ? 'link-license' : 'report-cores'),
    onWarning: true,
    commands: (subject, outcome) => {
      const machine = { name: subject.need.machineName, resourceGroup: subject.need.resourceGroup, subscriptionId: subject.need.subscriptionId, location: subject.need.location };
      if ('reason' in subject) return reportCoresCommands(machine);
      return outcome.key.includes('Link') ? linkLicenseCommands(machine, subject.licenseId) : [];
    },
  },
});

function linkText(e: Readonly<Record<string, unknown>>): string {
  const share = Number(e['cores']) === 0 ? 'it takes none of its cores (its ESU Usage tag is exempt on that license)' : `${e['cores']} of its ${e['coreType']} cores are kept for this machine`;
  return e['licenseExists'] === true
    ? `Link this machine to ESU license ${e['licenseName']}: ${share} by the tenant license plan.`
    : `Link this machine to ESU license ${e['licenseName']} once it is created (the plan proposes it; its creation is one job, ESU.License.Plan): ${share}.`;
}

function unplannedText(e: Readonly<Record<string, unknown>>): string {
  return `The machine needs a ${e['target']} ESU license but`;
}

function programText(e: Readonly<Record<string, unknown>>): string {
  return `${e['programName']} ESU (${formatDay(String(e['esuStart']))})`;
}
