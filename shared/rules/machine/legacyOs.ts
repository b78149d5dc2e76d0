import type { EvaluationContext, MachineSubject } from '../context.js';
import { osReviewCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';
import { formatDay } from '../../programs/program.js';
import { machineProgram, programEvidence } from '../programFacts.js';

/**
 * A machine whose ESU program has ended at the evaluation time receives no security updates, and no license
 * can change that. Windows Server 2008 / 2008 R2 and Windows 7 ESU were sold as MAK keys for at most three
 * 12-month years from 14 January 2020 (Microsoft's ESU announcement for Windows 7 and Windows Server 2008 / 2008 R2); Windows Server 2012 / 2012 R2 ESU through Arc ended on
 * 13 October 2026 (catalogue `esuEnd`).
 */
export const legacyOsRule = defineRule({
  id: 'ESU.Machine.LegacyOs',
  title: 'No machine runs an operating system whose ESU program has ended',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'LegacyOs',
  description:
    'Every ESU program ends: Windows Server 2008, 2008 R2 and Windows 7 ESU (MAK keys for up to three years counted from 14 January 2020) and Windows Server 2012 / 2012 R2 ESU through Azure Arc (offered until 13 October 2026) have ended. A machine on such an operating system receives no security updates, and no ESU license covers it.',
  recommendation: 'Upgrade or migrate this machine to a supported Windows version, or retire it.',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc (eligible operating systems)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Get-AzConnectedMachine', url: 'https://learn.microsoft.com/powershell/module/az.connectedmachine/get-azconnectedmachine' },
  ],
  messages: {
    'Failed.EsuEnded': (e) =>
      `The machine runs ${e['os']}, whose ESU program (${e['programName']}) ended on ${formatDay(String(e['esuEnd']))}: it receives no security updates, and no ESU license can cover it` +
      `${e['licenseLinked'] ? ' (the ESU license still linked to it covers nothing: unlink it and deactivate or delete the license)' : ''}. Upgrade or migrate it.`,
    'Failed.ProgramEnded': (e) =>
      `The machine runs ${e['os']}, whose ESU program (MAK keys for years 1 to 3 from 14 January 2020) has ended; an Azure Arc ESU license cannot cover it${e['licenseLinked'] ? ', yet the machine is linked to an ESU license' : ''}, so it receives no security updates.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    const standing = machineProgram(machine, context);
    if (!standing || standing.phase !== 'ended') return undefined;
    const os = machine.osName ?? machine.osSku ?? `Windows version ${machine.osVersion ?? 'unknown'}`;
    return {
      key: standing.program.arcLicensing ? 'Failed.EsuEnded' : 'Failed.ProgramEnded',
      evidence: {
        ...programEvidence(standing),
        esuEnd: standing.program.esuEnd,
        os, osName: machine.osName ?? null, osVersion: machine.osVersion ?? null, licenseLinked: machine.link.assigned,
      },
    };
  },
  remediation: {
    jobType: 'migrate-os',
    commands: (machine) => osReviewCommands(machine),
  },
});
