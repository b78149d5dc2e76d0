import type { PlanLicenseRow } from '../../domain/licensePlan.js';
import { formatDay, programById } from '../../programs/program.js';
import { createLicenseCommands, updateLicenseCommands } from '../../remediation/fixes.js';
import type { EvaluationContext } from '../context.js';
import { standingOf } from '../programFacts.js';
import { defineRule } from '../rule.js';

/**
 * One license of the tenant license plan: a license to create for machines no existing license has room for, or an
 * existing one with more cores than its machines and the plan need. Removing idle licenses, ending licenses of ended
 * programs and growing licenses over capacity are the license rules' (ESU.License.Unused, ESU.License.Program,
 * ESU.License.Capacity); the plan counts them in its figures but does not send them twice.
 */
export const licensePlanRule = defineRule({
  id: 'ESU.License.Plan',
  title: 'The tenant license plan creates or shrinks this license',
  group: 'License',
  severity: 'Medium',
  messagePrefix: 'LicensePlan',
  description:
    'The tenant license plan pools the machines no existing license has room for into as few new licenses as the limits allow, and shrinks licenses that hold more cores than their machines need: every core of an activated license is billed.',
  recommendation: 'Create the proposed license once and link its machines, or reduce the license to the cores its machines need.',
  links: [
    { title: 'License provisioning guidelines for Extended Security Updates', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates' },
    { title: 'Billing service for Extended Security Updates', url: 'https://learn.microsoft.com/azure/azure-arc/servers/billing-extended-security-updates' },
  ],
  messages: {
    Passed: (e) => `The license keeps its ${e['processors']} cores: its linked machines use ${e['coresUsed']} and the plan adds ${e['machinesPlanned']} machine(s) for ${e['coresPlanned']} more.`,
    'Failed.Create': (e) => `${createText(e)} ${e['programName']} ESU started on ${formatDay(String(e['esuStart']))}: ${backBilling(e)}`,
    'PassedWithWarning.CreateBeforeDeadline': (e) => `${createText(e)} Billing starts on ${formatDay(String(e['billingStart'] ?? e['esuStart']))}; licenses created later are back-billed.`,
    'PassedWithWarning.Shrink': (e) =>
      `The license has ${e['processors']} cores; its linked machines use ${e['coresUsed']} and the plan adds ${e['coresPlanned']}: reduce it to ${e['processorsAfter']} (${Number(e['processors']) - Number(e['processorsAfter'])} cores fewer billed; a decrease shows in billing within five days).`,
  },
  evaluate(row: PlanLicenseRow, context: EvaluationContext) {
    const program = programById(context.settings.programs, row.programId);
    if (!program || standingOf(program, context).phase === 'ended') return undefined;
    const standing = standingOf(program, context);
    const upcoming = standing.phase === 'upcoming';
    // daysLeft moves with the clock: only its deadline stage is part of the fingerprint (an escalation, see docs/alerts.md).
    const evidence = {
      program: program.id, programName: program.name, esuStart: program.esuStart, billingStart: program.billingStart ?? null, backBilledTo: program.backBilledTo ?? null,
      endOfSupport: program.endOfSupport, daysLeft: standing.daysLeft,
      target: row.target ?? null, edition: row.edition ?? null, coreType: row.coreType ?? null, location: row.location ?? null,
      processors: row.processors, processorsAfter: row.processorsAfter, coresUsed: row.coresUsed, coresPlanned: row.coresPlanned, machinesPlanned: row.machinesPlanned,
    };
    if (row.action === 'create') return { key: upcoming ? 'PassedWithWarning.CreateBeforeDeadline' : 'Failed.Create', evidence };
    if (row.action === 'shrink') return { key: 'PassedWithWarning.Shrink', evidence };
    if (row.action === 'keep' && row.machinesPlanned > 0) return { key: 'Passed', evidence };
    return undefined;
  },
  remediation: {
    jobType: (outcome) => (outcome.key.includes('Create') ? 'create-license' : 'resize-license'),
    onWarning: true,
    commands: (row, outcome) => {
      const license = { name: row.name, resourceGroup: row.resourceGroup, subscriptionId: row.subscriptionId, location: row.location, target: row.target };
      if (!outcome.key.includes('Create')) return updateLicenseCommands(license, { processors: row.processorsAfter });
      const spec = { name: row.name, target: row.target ?? 'Windows Server 2016', edition: row.edition ?? 'Standard', type: row.coreType ?? 'pCore', processors: row.processorsAfter };
      return createLicenseCommands(license, spec, { machine: row.regionFrom ?? { name: row.name, resourceGroup: row.resourceGroup, subscriptionId: row.subscriptionId } });
    },
  },
});

function createText(e: Readonly<Record<string, unknown>>): string {
  return `Create this ${e['target']} ${e['edition']} ${e['coreType']} license with ${e['processorsAfter']} cores for the ${e['machinesPlanned']} machine(s) the plan puts on it (they need ${e['coresPlanned']}; cores come in whole 2-core packs), then link each of them (ESU.Machine.LicensePlan).`;
}

function backBilling(e: Readonly<Record<string, unknown>>): string {
  return e['backBilledTo'] ? `a license created now is back-billed to ${formatDay(String(e['backBilledTo']))}.` : 'create it now.';
}
