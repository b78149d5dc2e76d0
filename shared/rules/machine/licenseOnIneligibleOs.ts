import type { MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { linkEvidence, linkedLicenseLabel, unlinkCommands } from './licenseLinkFacts.js';

/**
 * Only Windows Server 2012 / 2012 R2 can enroll (seed 000, "オペレーティング システム"). A license stays linked
 * to a machine upgraded to 2016 or later, and is billed, until someone unlinks it (Microsoft "Deliver ESUs").
 */
export const licenseOnIneligibleOsRule = defineRule({
  id: 'ESU.Machine.LicenseOnIneligibleOs',
  title: 'No ESU license is linked to a machine whose OS cannot use it',
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'LicenseOnIneligibleOs',
  description:
    'Only Windows Server 2012 and 2012 R2 machines can use a Windows Server 2012 ESU license. A license linked to another OS, typically a machine upgraded to Windows Server 2016 or later, is not unlinked automatically and keeps being billed.',
  recommendation: 'Unlink the ESU license from this machine (and reduce the license cores it no longer needs).',
  links: [
    { title: 'Deliver ESUs: upgrading from Windows Server 2012/2012 R2', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
    { title: 'Unlink a license', url: 'https://learn.microsoft.com/azure/azure-arc/servers/api-extended-security-updates' },
    { title: 'Troubleshoot ESU for Windows Server 2012 on Azure Arc', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
  ],
  messages: {
    'Failed.IneligibleOs': (e) =>
      `ESU license ${linkedLicenseLabel(e)} is linked to a machine running ${e['osName']} (${e['osFamily']}), which cannot use Windows Server 2012 ESU: it is still billed. ` +
      'A machine upgraded to Windows Server 2016 or later keeps its license link until it is unlinked manually.',
    'PassedWithWarning.UnknownOs': (e) =>
      `ESU license ${linkedLicenseLabel(e)} is linked, but the machine reports no operating system (osName ${e['osName']}, osVersion ${e['osVersion']}, osType ${e['osType']}), so whether it can use ESU cannot be told.`,
    'PassedWithWarning.Windows2016Program': (e) =>
      `The machine runs ${e['osName']} and is linked to a license targeting ${e['linkedLicenseTarget']}, the announced Windows Server 2016 ESU program; this scanner checks Windows Server 2012 ESU only, so verify this enrolment separately.`,
  },
  evaluate(machine: MachineSubject) {
    if (machine.inScope || !machine.link.assigned) return undefined;
    const evidence = {
      ...linkEvidence(machine),
      osName: machine.osName ?? 'missing',
      osVersion: machine.osVersion ?? 'missing',
      osType: machine.osType ?? 'missing',
      osFamily: machine.osFamily,
      linkedLicenseTarget: machine.linkedLicense ? (machine.linkedLicense.target ?? 'missing') : null,
    };
    if (machine.osFamily === 'Unknown') return { key: 'PassedWithWarning.UnknownOs', evidence };
    const runs2016 = /windows server 2016/i.test(`${machine.osName ?? ''} ${machine.osSku ?? ''}`);
    if (runs2016 && /windows server 2016/i.test(machine.linkedLicense?.target ?? '')) {
      return { key: 'PassedWithWarning.Windows2016Program', evidence };
    }
    return { key: 'Failed.IneligibleOs', evidence };
  },
  remediation: {
    jobType: 'unlink-license',
    commands: (machine) => unlinkCommands(machine),
  },
});
