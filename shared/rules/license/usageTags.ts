import type { EvaluationContext, TenantLicenseSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { programOfTarget } from '../../programs/program.js';
import { exemptUsageOf, isEsuLicense, usageOf } from '../../plan/licenseFacts.js';

/**
 * The dev/test and disaster-recovery exceptions ("Deliver ESU", additional scenarios, WS2012 only): tag the
 * machine and its production license `ESU Usage` = `WS2012 VISUAL STUDIO DEV TEST` or `WS2012 DISASTER RECOVERY`
 * (the license: or `WS2012 MULTIPURPOSE`); tagged machines add no cores. "You can't create an ESU license where
 * all associated servers are entitled to the Visual Studio subscription benefit". Windows Server 2016 has no
 * Visual Studio dev/test benefit. Values compare case-insensitively (upper-cased when read).
 */
export const usageTagsRule = defineRule({
  id: 'ESU.License.UsageTags',
  title: 'Dev/test and disaster-recovery ESU tags are used as Microsoft allows',
  group: 'License',
  severity: 'Medium',
  messagePrefix: 'LicenseUsageTags',
  description:
    'Machines used for Visual Studio dev/test or disaster recovery need no ESU cores of their own when both the machine and its production license carry the `ESU Usage` tag (WS2012 only). A tag on one side only does nothing, a license may not cover only dev/test machines, and Windows Server 2016 has no dev/test benefit.',
  recommendation: 'Tag both the machine and its production license with the same ESU Usage value (or the license with WS2012 MULTIPURPOSE), and link at least one production server to a license that covers dev/test machines.',
  links: [
    { title: 'Deliver ESUs: additional scenarios (dev/test, disaster recovery)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates' },
    { title: 'License provisioning guidelines for ESU', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `${e['exemptMachines']} linked machine(s) tagged ${e['exemptUsage']} add no cores to this license (its tag: ${e['licenseTag']}).`,
    'Failed.OnlyDevTest': (e) =>
      `All ${e['linkedMachines']} machine(s) linked to this license are tagged for the Visual Studio dev/test benefit: Microsoft does not allow an ESU license whose associated servers are all dev/test ("You can't create an ESU license where all associated servers are entitled to the Visual Studio subscription benefit").`,
    'PassedWithWarning.MachineTagOnly': (e) =>
      `${e['taggedMachines']} linked machine(s) carry ESU Usage tags (${e['machineTags']}) that this license's tag (${e['licenseTag']}) does not match: they still count for cores. Tag the license with the same value or WS2012 MULTIPURPOSE.`,
    'PassedWithWarning.LicenseTagOnly': (e) =>
      `The license is tagged ESU Usage = ${e['licenseTag']}, but none of its ${e['linkedMachines']} linked machine(s) carries a dev/test or disaster-recovery tag: the tag exempts nothing.`,
    'PassedWithWarning.NoBenefit': (e) =>
      `ESU Usage tags are present (${e['tags']}), but ${e['programName']} ESU has no Visual Studio dev/test or disaster-recovery tag exception: every linked machine counts for cores.`,
  },
  evaluate(entry: TenantLicenseSubject, context: EvaluationContext) {
    if (!isEsuLicense(entry.license)) return undefined;
    const usage = usageOf(entry);
    const machineTags = Object.keys(usage.tagged).sort();
    const licenseTag = entry.license.esuUsage;
    if (machineTags.length === 0 && !licenseTag) return undefined;
    const program = programOfTarget(context.settings.programs, entry.license.target);
    if (!program) return undefined;
    const tags = program.usageTags;
    if (!tags) return { key: 'PassedWithWarning.NoBenefit', evidence: { programName: program.name, tags: [...new Set([...(licenseTag ? [licenseTag] : []), ...machineTags])].join(', ') } };
    const devTest = usage.tagged[tags.devTest]?.machines ?? 0;
    const base = { linkedMachines: usage.linkedMachines, licenseTag: licenseTag ?? 'none', machineTags: machineTags.join(', ') };
    if (usage.linkedMachines > 0 && devTest === usage.linkedMachines) return { key: 'Failed.OnlyDevTest', evidence: { ...base, devTestMachines: devTest } };
    const exempt = exemptUsageOf(entry.license, usage, context.settings.programs);
    const exceptionTags = machineTags.filter((value) => value === tags.devTest || value === tags.disasterRecovery);
    const taggedMachines = exceptionTags.reduce((sum, value) => sum + (usage.tagged[value]?.machines ?? 0), 0);
    if (taggedMachines > exempt.machines) return { key: 'PassedWithWarning.MachineTagOnly', evidence: { ...base, taggedMachines: taggedMachines - exempt.machines } };
    if (licenseTag && exempt.machines === 0 && usage.linkedMachines > 0) return { key: 'PassedWithWarning.LicenseTagOnly', evidence: base };
    if (exempt.machines === 0) return undefined;
    return { key: 'Passed', evidence: { ...base, exemptMachines: exempt.machines, exemptUsage: exempt.values.join(', ') } };
  },
});
