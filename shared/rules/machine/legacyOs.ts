import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';

/**
 * Windows Server 2008 / 2008 R2 and Windows 7 ESU were sold as MAK keys for at most three 12-month years
 * from 14 January 2020 (seed 003); those programs are over and an Arc ESU license (Windows Server 2012 /
 * 2012 R2 targets) cannot cover these machines.
 */
export const legacyOsRule = defineRule({
  id: 'ESU.Machine.LegacyOs',
  title: 'No machine runs an operating system whose ESU program has ended',
  group: 'Machine',
  severity: 'High',
  messagePrefix: 'LegacyOs',
  description:
    'Extended Security Updates for Windows Server 2008, Windows Server 2008 R2 and Windows 7 were bought as MAK keys for up to three years counted from 14 January 2020; those programs have ended and an Azure Arc ESU license cannot cover these machines.',
  recommendation: 'Upgrade or migrate this machine to a supported Windows version, or retire it.',
  links: [
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc (eligible operating systems)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Get-AzConnectedMachine', url: 'https://learn.microsoft.com/powershell/module/az.connectedmachine/get-azconnectedmachine' },
  ],
  messages: {
    'Failed.ProgramEnded': (e) =>
      `The machine runs ${e['os']}, whose ESU program (MAK keys for years 1 to 3 from 14 January 2020) has ended; an Azure Arc ESU license cannot cover it${e['licenseLinked'] ? ', yet the machine is linked to an ESU license' : ''}, so it receives no security updates.`,
  },
  evaluate(machine: MachineSubject, _context: EvaluationContext) {
    if (machine.osFamily !== 'LegacyWindows') return undefined;
    const os = machine.osName ?? machine.osSku ?? `Windows version ${machine.osVersion ?? 'unknown'}`;
    return {
      key: 'Failed.ProgramEnded',
      evidence: { os, osName: machine.osName ?? null, osVersion: machine.osVersion ?? null, licenseLinked: machine.link.assigned },
    };
  },
  remediation: {
    jobType: 'migrate-os',
    commands: (machine) => [
      {
        shell: 'az',
        command: `az connectedmachine show --name ${machine.name} --resource-group ${machine.resourceGroup} --subscription ${machine.subscriptionId} --query "{osName:properties.osName, osVersion:properties.osVersion, osSku:properties.osSku, licenseProfile:properties.licenseProfile}"`,
      },
      {
        shell: 'powershell',
        command: `Get-AzConnectedMachine -Name ${machine.name} -ResourceGroupName ${machine.resourceGroup} -SubscriptionId ${machine.subscriptionId} | Format-List *`,
      },
    ],
  },
});
