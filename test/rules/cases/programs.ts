import { applyProgramOverrides } from '../../../shared/programs/overrides.js';
import { DEFAULT_RULE_SETTINGS } from '../../../shared/rules/context.js';
import { parsePolicyAssignment } from '../../../shared/domain/policyAssignment.js';
import type { SubscriptionSubject } from '../../../shared/rules/context.js';
import { SUBSCRIPTION_ID } from '../../support/armFixtures.js';
import { ledgerEntry, license, machine, parsedLicense, registered, type RuleCase } from '../../support/ruleHarness.js';

/**
 * Every rule decides by the machine's or license's ESU program (shared/programs/catalogue.ts), at fixed
 * evaluation dates: before WS2012 ESU ends (2026-09-01), between the two dates (2026-12-01: WS2012 ended on
 * 2026-10-13, WS2016 reaches end of support on 2027-01-12) and after WS2016 ESU starts (2027-01-13).
 */
const BEFORE_2012_END = { now: new Date('2026-09-01T00:00:00Z') };
const BETWEEN = { now: new Date('2026-12-01T00:00:00Z') };
const WS2016_ACTIVE = { now: new Date('2027-01-13T00:00:00Z') };

const ws2016 = (properties: Record<string, unknown> = {}, esuProfile: Record<string, unknown> = {}) =>
  ({ name: 'srv-2016-01', properties: { osName: 'Windows Server 2016 Datacenter', osSku: 'Windows Server 2016 Datacenter', osVersion: '10.0.14393', agentVersion: '1.68.03100.1234', ...properties }, esuProfile });
const linked2016 = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: 'imm-ws2016' };
const license2016 = (details: Record<string, unknown> = {}) =>
  parsedLicense({ name: 'esu-ws2016-dc', details: { target: 'Windows Server 2016', edition: 'Datacenter', type: 'pCore', processors: 64, immutableId: 'imm-ws2016', ...details } });
const assigned2012 = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' };

export const PROGRAM_CASES: readonly RuleCase[] = [
  // WS2012 before and after 2026-10-13 (Microsoft lifecycle; catalogue esuEnd)
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2012 active (2026-09-01): an unlinked machine fails (its link job is the plan\'s)', subject: machine(), context: BEFORE_2012_END, expect: ['Enrolled.Failed.NotAssigned'], jobs: [], evidence: { program: 'WS2012', programPhase: 'active' } },
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2012 ended (2026-12-01): no link or buy recommendation', subject: machine(), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2012 ended (2026-12-01): High failure with the end date and a migrate job', subject: machine(), context: BETWEEN, expect: ['LegacyOs.Failed.EsuEnded'], jobs: ['migrate-os'], messageIncludes: ['13 October 2026', 'receives no security updates'], evidence: { program: 'WS2012', esuEnd: '2026-10-13' } },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2012 on its last ESU day (2026-10-13) is still active', subject: machine(), context: { now: new Date('2026-10-13T23:00:00Z') }, expect: [] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2012 ended, still linked: the message says the license covers nothing', subject: machine({ esuProfile: assigned2012 }), context: WS2016_ACTIVE, expect: ['LegacyOs.Failed.EsuEnded'], jobs: ['migrate-os'], messageIncludes: ['covers nothing'] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2008 R2: the MAK program ended (2020 ESU announcement)', subject: machine({ properties: { osName: 'Windows Server 2008 R2 Standard', osSku: null, osVersion: '6.1.7601' } }), context: BETWEEN, expect: ['LegacyOs.Failed.ProgramEnded'], jobs: ['migrate-os'] },
  { ruleId: 'ESU.Machine.LegacyOs', name: 'WS2016 is not ended in 2027', subject: machine(ws2016()), context: WS2016_ACTIVE, expect: [] },
  { ruleId: 'ESU.Machine.LicenseOnIneligibleOs', name: 'WS2012 ended, still linked: LegacyOs and License.Program report it, no second unlink alert', subject: machine({ esuProfile: assigned2012 }, [parsedLicense()]), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2012 ended: the agent minimum no longer applies', subject: machine({ properties: { agentVersion: '1.20' } }), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.Machine.Connected', name: 'WS2012 ended: connectivity is not checked for ESU', subject: machine({ properties: { status: 'Disconnected' } }), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'WS2012 ended: the ESU key no longer matters', subject: machine({ esuProfile: assigned2012 }), context: BETWEEN, expect: [] },
  {
    ruleId: 'ESU.Machine.Enrolled', name: 'an extension is configuration: WS2012 esuEnd moved to 2027-10-12 keeps it active',
    subject: machine(), context: { ...BETWEEN, settings: { programs: applyProgramOverrides(DEFAULT_RULE_SETTINGS.programs, { WS2012: { esuEnd: '2027-10-12' } }) } },
    expect: ['Enrolled.Failed.NotAssigned'],
  },

  // WS2016: readiness before 2027-01-12, delivery from 2027-01-13 (Microsoft "Prepare to deliver ESU": agent 1.62)
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2016 upcoming: agent 1.58 is a readiness warning naming 1.62 and the days left, with an upgrade job', subject: machine(ws2016({ agentVersion: '1.58.03000.100' })), context: BETWEEN, expect: ['AgentVersion.PassedWithWarning.BelowMinimumBeforeDeadline'], jobs: ['upgrade-agent'], messageIncludes: ['1.62', '12 January 2027', '42 days left'], evidence: { minimumVersion: '1.62', program: 'WS2016', daysLeft: 42 } },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2016 active: agent 1.58 fails naming 1.62', subject: machine(ws2016({ agentVersion: '1.58.03000.100' })), context: WS2016_ACTIVE, expect: ['AgentVersion.Failed.BelowMinimum'], jobs: ['upgrade-agent'], messageIncludes: ['1.62'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2016: agent 1.62 passes', subject: machine(ws2016({ agentVersion: '1.62.03050.1' })), context: BETWEEN, expect: ['AgentVersion.Passed'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'WS2012 active: agent 1.45 passes the 1.34 minimum', subject: machine(), context: BEFORE_2012_END, expect: ['AgentVersion.Passed'], evidence: { minimumVersion: '1.34' } },
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2016 upcoming: unlinked is a readiness warning with the days left; no job (the plan has it)', subject: machine(ws2016(), [license2016()]), context: BETWEEN, expect: ['Enrolled.PassedWithWarning.NotAssignedBeforeDeadline'], jobs: [], evidence: { target: 'Windows Server 2016' }, messageIncludes: ['42 days left'] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2016 active: unlinked fails', subject: machine(ws2016()), context: WS2016_ACTIVE, expect: ['Enrolled.Failed.NotAssigned'], jobs: [] },
  { ruleId: 'ESU.Machine.Enrolled', name: 'WS2016 linked to a license in another subscription passes (no unlink)', subject: machine(ws2016({}, { licenseAssignmentState: 'Assigned', assignedLicense: '/subscriptions/other/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/ws2016' })), context: WS2016_ACTIVE, expect: ['Enrolled.Passed'] },
  { ruleId: 'ESU.Machine.FreeEsuEnvironment', name: 'WS2016 migrated to Azure gets ESU free: a paid license fails', subject: machine({ ...ws2016({ cloudMetadata: { provider: 'Azure' } }, linked2016) }, [license2016()]), context: WS2016_ACTIVE, expect: ['FreeEsuEnvironment.Failed.PaidLicenseLinked'], jobs: ['unlink-license'], evidence: { program: 'WS2016' } },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'WS2016 upcoming: a linked machine whose key is still Inactive is a warning, no job', subject: machine(ws2016({}, linked2016), [license2016()]), context: BETWEEN, expect: ['EsuKeyActive.PassedWithWarning.InactiveBeforeStart'], messageIncludes: ['13 January 2027'] },
  { ruleId: 'ESU.Machine.EsuKeyActive', name: 'WS2016 active: Inactive key fails', subject: machine(ws2016({}, linked2016), [license2016()]), context: WS2016_ACTIVE, expect: ['EsuKeyActive.Failed.Inactive'], jobs: ['fix-esu-activation'] },
  { ruleId: 'ESU.Machine.Eligibility', name: 'WS2016 upcoming: eligibility is read for the 2016 program', subject: machine(ws2016()), context: BETWEEN, expect: ['Eligibility.Passed'], messageIncludes: ['Windows Server 2016 ESU'] },
  { ruleId: 'ESU.Machine.Connected', name: 'AwaitingConnection is not Connected (REST spec enum)', subject: machine(ws2016({ status: 'AwaitingConnection' })), context: BETWEEN, expect: ['Connected.Failed.AwaitingConnection'], jobs: ['reconnect-machine'] },

  // CVE-2026-96204 (published 2026-10-13): agents below 1.68
  { ruleId: 'ESU.Machine.AgentVulnerability', name: 'agent 1.61 after 2026-10-13 is affected by CVE-2026-96204', subject: machine({ properties: { agentVersion: '1.61.03080.2' } }), context: BETWEEN, expect: ['AgentVulnerability.Failed.Vulnerable'], jobs: ['upgrade-agent'], messageIncludes: ['CVE-2026-96204', '1.68'] },
  { ruleId: 'ESU.Machine.AgentVulnerability', name: 'agent 1.68 is not affected', subject: machine({ properties: { agentVersion: '1.68.03100.1' } }), context: BETWEEN, expect: ['AgentVulnerability.Passed'] },
  { ruleId: 'ESU.Machine.AgentVulnerability', name: 'before CVE-2026-96204 was published (2026-09-01) a 1.65 agent passes', subject: machine({ properties: { agentVersion: '1.65.03100.1' } }), context: BEFORE_2012_END, expect: ['AgentVulnerability.Passed'] },
  { ruleId: 'ESU.Machine.AgentVulnerability', name: 'before CVE-2026-96204 was published (2026-09-01) a 1.61 agent has the two records of May and July', subject: machine({ properties: { agentVersion: '1.61.03080.2' } }), context: BEFORE_2012_END, expect: ['AgentVulnerability.Failed.Vulnerable'], jobs: ['upgrade-agent'], evidence: { advisories: 'CVE-2026-40381, CVE-2026-47632', fixedIn: '1.65' } },
  { ruleId: 'ESU.Machine.AgentVulnerability', name: 'any OS: a Linux machine on agent 1.50 is affected too', subject: machine({ properties: { osName: 'ubuntu', osSku: null, osType: 'linux', osVersion: '22.04', agentVersion: '1.50.0' } }), context: BETWEEN, expect: ['AgentVulnerability.Failed.Vulnerable'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentVulnerability', name: 'unparsable agent version: AgentVersion warns, nothing here', subject: machine({ properties: { agentVersion: 'latest' } }), context: BETWEEN, expect: [] },

  // Licenses by program (ESU.License.Program)
  { ruleId: 'ESU.License.Program', name: 'WS2012 license Activated after the program ended: deactivate job', subject: license(), context: BETWEEN, expect: ['LicenseProgram.Failed.ProgramEnded'], jobs: ['deactivate-license'], messageIncludes: ['13 October 2026'] },
  { ruleId: 'ESU.License.Program', name: 'WS2012 license Deactivated after the program ended passes', subject: license({ details: { state: 'Deactivated' } }), context: BETWEEN, expect: ['LicenseProgram.Passed.EndedDeactivated'] },
  { ruleId: 'ESU.License.Program', name: 'WS2012 license while the program runs passes', subject: license(), context: BEFORE_2012_END, expect: ['LicenseProgram.Passed'] },
  { ruleId: 'ESU.License.Program', name: 'WS2016 license upcoming passes, naming billing start', subject: license({ details: { target: 'Windows Server 2016' } }), context: BETWEEN, expect: ['LicenseProgram.Passed'], messageIncludes: ['13 January 2027'] },
  { ruleId: 'ESU.License.Program', name: 'bad input: an unknown target is an Error finding, never a false failure', subject: license({ details: { target: 'Windows Server 2019' } }), context: BETWEEN, expect: ['LicenseProgram.Error.UnknownTarget'], messageIncludes: ['Windows Server 2019'] },
  { ruleId: 'ESU.License.Program', name: 'missing target: a warning', subject: license({ details: { target: null } }), context: BETWEEN, expect: ['LicenseProgram.PassedWithWarning.MissingTarget'] },
  { ruleId: 'ESU.License.Program', name: 'no licenseDetails: CoreMinimum and Combination report it', subject: license({ details: null }), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'WS2016 license with no type yet (chosen when ESU is enabled): a warning, not an error', subject: license({ details: { target: 'Windows Server 2016', type: null } }), context: BETWEEN, expect: ['CoreMinimum.PassedWithWarning.TypeNotChosen'] },
  { ruleId: 'ESU.License.Combination', name: 'WS2016 license with no type yet: a warning, not an error', subject: license({ details: { target: 'Windows Server 2016', type: null } }), context: BETWEEN, expect: ['LicenseCombination.PassedWithWarning.TypeNotChosen'] },
  { ruleId: 'ESU.License.Combination', name: 'WS2012 license with no type stays an error', subject: license({ details: { type: null } }), context: BEFORE_2012_END, expect: ['LicenseCombination.Error.UnknownType'] },
  { ruleId: 'ESU.License.Combination', name: 'WS2016 Datacenter vCore is invalid too', subject: license({ details: { target: 'Windows Server 2016', edition: 'Datacenter', type: 'vCore', processors: 8 } }), context: BETWEEN, expect: ['LicenseCombination.Failed.InvalidCombination'], jobs: ['replace-license'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'WS2016 pCore license below 16 cores fails', subject: license({ details: { target: 'Windows Server 2016', processors: 8 } }), context: BETWEEN, expect: ['CoreMinimum.Failed.BelowMinimum'], jobs: ['resize-license'] },

  // Tenant-wide license rules by program
  { ruleId: 'ESU.License.Unused', name: 'WS2016 license Activated and idle before billing starts: a warning about the coming charge and back-billing', subject: ledgerEntry({ details: { target: 'Windows Server 2016' } }, []), context: BETWEEN, expect: ['LicenseUnused.PassedWithWarning.NotYetBilled'], messageIncludes: ['13 January 2027', 'back-billed to 12 January 2027'] },
  { ruleId: 'ESU.License.Unused', name: 'WS2016 license idle once billing runs: billed for nothing', subject: ledgerEntry({ details: { target: 'Windows Server 2016' } }, []), context: WS2016_ACTIVE, expect: ['LicenseUnused.PassedWithWarning.NoLinkedMachines'] },
  { ruleId: 'ESU.License.Unused', name: 'WS2012 license after the program ended: ESU.License.Program reports it', subject: ledgerEntry({}, []), context: BETWEEN, expect: [] },
  { ruleId: 'ESU.License.Activated', name: 'WS2016 license Deactivated with linked machines before the deadline: readiness warning with an activate job', subject: ledgerEntry({ details: { target: 'Windows Server 2016', state: 'Deactivated' } }, [ws2016({}, { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' })]), context: BETWEEN, expect: ['LicenseActivated.PassedWithWarning.DeactivatedBeforeStart'], jobs: ['activate-license'] },
  { ruleId: 'ESU.License.Activated', name: 'WS2016 license Deactivated with linked machines once ESU runs fails', subject: ledgerEntry({ details: { target: 'Windows Server 2016', state: 'Deactivated' } }, [ws2016({}, { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' })]), context: WS2016_ACTIVE, expect: ['LicenseActivated.Failed.Deactivated'], jobs: ['activate-license'] },
  { ruleId: 'ESU.License.Activated', name: 'WS2012 license Deactivated after the program ended: nothing to activate', subject: ledgerEntry({ details: { state: 'Deactivated' } }, [{ esuProfile: assigned2012 }]), context: BETWEEN, expect: [] },
];

// Built-in ESU policies assigned to the subscription (Azure/azure-policy GuestConfiguration_ArcESU_{Deny,DINE}.json)
const DENY = '/providers/Microsoft.Authorization/policyDefinitions/4c660f31-eafb-408d-a2b3-6ed2260bd26c';
const DINE = '/providers/Microsoft.Authorization/policyDefinitions/4864134f-d306-4ff5-94d8-ea4553b18c97';
const assignment = (name: string, policyDefinitionId: string, properties: Record<string, unknown> = {}) => ({
  id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/policyAssignments/${name}`,
  name, type: 'Microsoft.Authorization/policyAssignments',
  properties: { displayName: name, policyDefinitionId, scope: `/subscriptions/${SUBSCRIPTION_ID}`, enforcementMode: 'Default', ...properties },
});
const withPolicies = (...raw: unknown[]) => (): SubscriptionSubject => ({
  subscriptionId: SUBSCRIPTION_ID, providers: registered(), sqlDiscoveredInScope: false,
  policyAssignments: raw.flatMap((item) => { const parsed = parsePolicyAssignment(item); return parsed.ok ? [parsed.value] : []; }),
});

export const POLICY_CASES: readonly RuleCase[] = [
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'an enforced Deny assignment: license writes are denied', subject: withPolicies(assignment('deny-esu', DENY)), expect: ['LicensePolicy.PassedWithWarning.LicenseWritesDenied'], messageIncludes: ['deny-esu'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'a Deny assignment in DoNotEnforce mode passes', subject: withPolicies(assignment('deny-audit', DENY, { enforcementMode: 'DoNotEnforce' })), expect: ['LicensePolicy.Passed.DenyNotEnforced'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'a Deny assignment with effect Disabled passes', subject: withPolicies(assignment('deny-off', DENY, { parameters: { effect: { value: 'Disabled' } } })), expect: ['LicensePolicy.Passed.DenyNotEnforced'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'the DINE assignment names the license it links to', subject: withPolicies(assignment('link-esu', DINE, { parameters: { ESULicenseResourceId: { value: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/ws2016' } } })), expect: ['LicensePolicy.Passed.AutoLink'], messageIncludes: ['licenses/ws2016'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'a DINE assignment without its license parameter warns', subject: withPolicies(assignment('link-empty', DINE)), expect: ['LicensePolicy.PassedWithWarning.AutoLinkWithoutLicense'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'other policies: no finding', subject: withPolicies(assignment('tags', '/providers/Microsoft.Authorization/policyDefinitions/1e30110a-5ceb-460c-a204-c1c3969c6d62')), expect: [] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'bad input: an assignment without id is skipped (the list reports it), odd fields never crash', subject: withPolicies({ name: 'no-id' }, assignment('deny-odd', DENY, { notScopes: 'not-a-list', parameters: [] })), expect: ['LicensePolicy.PassedWithWarning.LicenseWritesDenied'] },
  { ruleId: 'ESU.Subscription.LicensePolicy', name: 'policy list unreadable: no finding here (Access reports the read)', subject: () => ({ subscriptionId: SUBSCRIPTION_ID, providers: registered(), sqlDiscoveredInScope: false }), expect: [] },
];
