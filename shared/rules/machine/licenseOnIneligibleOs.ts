import type { EvaluationContext, MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { canonicalTarget, programOfTarget, targetForFamily } from '../../programs/program.js';
import { unlinkLicenseCommands } from '../../remediation/fixes.js';
import { deliveryProgram, machineProgram, programEvidence } from '../programFacts.js';
import { linkEvidence, linkedLicenseLabel } from './licenseLinkFacts.js';

/**
 * A license serves only the OS of its program's targets (catalogue `licenseTargets`). A license stays linked
 * to a machine upgraded to a later Windows Server, and is billed, until someone unlinks it (Microsoft
 * "Deliver ESUs"). Within one program Microsoft applies a "Windows Server 2012" license to a 2012 R2 VM
 * (license guidelines, scenario 4) while the API page says to set the target to the OS being licensed: a
 * warning. A license of another program's target fails.
 */
export const licenseOnIneligibleOsRule = defineRule({
  id: 'ESU.Machine.LicenseOnIneligibleOs',
  title: 'No ESU license is linked to a machine whose OS cannot use it',
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'LicenseOnIneligibleOs',
  description:
    "An ESU license covers the operating systems of its program's targets: Windows Server 2012 / 2012 R2 licenses cover Windows Server 2012 / 2012 R2, Windows Server 2016 licenses Windows Server 2016. A license linked to another OS (typically a machine upgraded to a later version), to a machine whose program has ended, or a license of another program's target, covers nothing and keeps being billed; it is not unlinked automatically.",
  recommendation: "Unlink the ESU license from this machine (and reduce the license cores it no longer needs); link a license of the machine's own program where it still needs ESU.",
  links: [
    { title: 'Deliver ESUs: upgrading from Windows Server 2012/2012 R2', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
    { title: 'Unlink a license', url: 'https://learn.microsoft.com/azure/azure-arc/servers/api-extended-security-updates' },
    { title: 'License provisioning guidelines for ESU (scenario 4: a 2012 license on 2012 R2 VMs)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
  ],
  messages: {
    'Failed.IneligibleOs': (e) =>
      `ESU license ${linkedLicenseLabel(e)} is linked to a machine running ${e['osName']} (${e['osFamily']}), which no running ESU program covers: it is still billed. ` +
      'A machine upgraded to a later Windows Server keeps its license link until it is unlinked manually.',
    'Failed.ProgramMismatch': (e) =>
      `ESU license ${linkedLicenseLabel(e)} targets ${e['linkedLicenseTarget']} (${e['licenseProgramName']}), but the machine runs ${e['osName']} (${e['programName']}): ` +
      `the license does not cover it. Unlink it and link a ${e['expectedTarget']} license.`,
    'PassedWithWarning.TargetWithinProgram': (e) =>
      `ESU license ${linkedLicenseLabel(e)} targets ${e['linkedLicenseTarget']} while the machine runs ${e['osName']}: both belong to ${e['programName']}, and Microsoft's scenarios apply a Windows Server 2012 license to 2012 R2 machines, ` +
      `but the API documentation says to set the target to the OS being licensed (${e['expectedTarget']}).`,
    'PassedWithWarning.UnknownOs': (e) =>
      `ESU license ${linkedLicenseLabel(e)} is linked, but the machine reports no operating system (osName ${e['osName']}, osVersion ${e['osVersion']}, osType ${e['osType']}), so whether it can use ESU cannot be told.`,
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    if (!machine.link.assigned) return undefined;
    // Built only for a finding: most linked machines have none here.
    const evidenceOf = () => ({
      ...linkEvidence(machine),
      osName: machine.osName ?? 'missing',
      osVersion: machine.osVersion ?? 'missing',
      osType: machine.osType ?? 'missing',
      osFamily: machine.osFamily,
      linkedLicenseTarget: machine.linkedLicense ? (machine.linkedLicense.target ?? 'missing') : null,
    });
    // A machine of an ended Arc program: ESU.Machine.LegacyOs says its license covers nothing, and
    // ESU.License.Program deactivates the license; one alert, not two.
    if (machine.inScope && machineProgram(machine, context)?.phase === 'ended') return undefined;
    const standing = deliveryProgram(machine, context);
    if (!standing) {
      return { key: machine.osFamily === 'Unknown' ? 'PassedWithWarning.UnknownOs' : 'Failed.IneligibleOs', evidence: evidenceOf() };
    }
    // A license in another subscription is not visible here; an unknown target is ESU.License.Program's finding.
    const licenseProgram = programOfTarget(context.settings.programs, machine.linkedLicense?.target);
    if (!licenseProgram) return undefined;
    const expectedTarget = targetForFamily(machine.osFamily) ?? standing.program.licenseTargets[0] ?? 'unknown';
    const facts = () => ({ ...evidenceOf(), ...programEvidence(standing), licenseProgram: licenseProgram.id, licenseProgramName: licenseProgram.name, expectedTarget });
    if (licenseProgram.id !== standing.program.id) return { key: 'Failed.ProgramMismatch', evidence: facts() };
    if (canonicalTarget(context.settings.programs, machine.linkedLicense?.target) !== expectedTarget) return { key: 'PassedWithWarning.TargetWithinProgram', evidence: facts() };
    return undefined;
  },
  remediation: {
    jobType: 'unlink-license',
    commands: (machine) => unlinkLicenseCommands(machine),
  },
});
