import type { EvaluationContext, MachineSubject } from '../context.js';
import { patchAssessmentCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import { deliveryProgram } from '../programFacts.js';

/** Update Manager periodic assessment (`assessmentMode`), compared case-insensitively. */
export const PERIODIC = 'automaticbyplatform';

/** ESU patch state is only observable with periodic assessment or the ESU policy (Troubleshoot ESU, "ESU patch status"). */
export const patchAssessmentRule = defineRule({
  id: 'ESU.Machine.PatchAssessment',
  title: 'ESU patch state is observable (periodic assessment)',
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'PatchAssessment',
  description:
    'Whether an enrolled Windows Server 2012 machine actually installs the monthly ESU updates (and the KB5031043 prerequisites) is only visible with Azure Update Manager periodic assessment or the built-in ESU policy; both are free for machines enrolled in WS2012 ESU through Azure Arc.',
  recommendation: 'Enable Azure Update Manager periodic assessment (assessmentMode AutomaticByPlatform) on the machine so its ESU patch state is checked automatically.',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc (ESU patch status)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Programmatically manage updates for Azure Arc-enabled servers', url: 'https://learn.microsoft.com/azure/update-manager/manage-arc-enabled-servers-programmatically' },
    { title: 'Update-AzConnectedMachine', url: 'https://learn.microsoft.com/powershell/module/az.connectedmachine/update-azconnectedmachine' },
    { title: 'Built-in policy: Configure periodic checking for missing system updates on azure Arc-enabled servers', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Azure%20Update%20Manager/AzUpdateMgmtCenter_HCRP_AutoAssessmentMode_Modify.json' },
  ],
  messages: {
    Passed: () => 'Periodic assessment is on (assessmentMode AutomaticByPlatform): the ESU patch state of this enrolled machine is checked automatically.',
    'PassedWithWarning.NotPeriodic': (e) =>
      `The machine is enrolled in ESU but its assessmentMode is ${e['assessmentMode']}, not AutomaticByPlatform: whether it installs the monthly ESU updates${prerequisites(e)} cannot be verified.`,
    'PassedWithWarning.Missing': (e) =>
      `The machine is enrolled in ESU but reports no assessmentMode (osProfile.windowsConfiguration.patchSettings): whether it installs the monthly ESU updates${prerequisites(e)} cannot be verified.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const standing = machine.link.assigned ? deliveryProgram(machine, context) : undefined;
    if (!standing) return undefined;
    const mode = machine.assessmentMode;
    const program = standing.program.id;
    if (mode === undefined) return { key: 'PassedWithWarning.Missing', evidence: { assessmentMode: null, program } };
    return { key: mode.toLowerCase() === PERIODIC ? 'Passed' : 'PassedWithWarning.NotPeriodic', evidence: { assessmentMode: mode, program } };
  },
  remediation: {
    jobType: 'enable-patch-assessment',
    onWarning: true,
    commands: (machine) => patchAssessmentCommands(machine),
  },
});

/** KB5031043 (licensing package and servicing stack) is the WS2012 prerequisite; Microsoft names none for WS2016. */
function prerequisites(e: Readonly<Record<string, unknown>>): string {
  return e['program'] === 'WS2012' ? ' and the KB5031043 prerequisites' : '';
}
