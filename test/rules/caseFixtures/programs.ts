/** Fixtures shared by the rule cases that came from the programs group (one file per rule in ../cases). */
import { parsePolicyAssignment } from '../../../shared/domain/policyAssignment.js';
import type { SubscriptionSubject } from '../../../shared/rules/context.js';
import { SUBSCRIPTION_ID } from '../../support/armFixtures.js';
import { parsedLicense, registered } from '../../support/ruleHarness.js';

/**
 * Every rule decides by the machine's or license's ESU program (shared/programs/catalogue.ts), at fixed
 * evaluation dates: before WS2012 ESU ends (2026-09-01), between the two dates (2026-12-01: WS2012 ended on
 * 2026-10-13, WS2016 reaches end of support on 2027-01-12) and after WS2016 ESU starts (2027-01-13).
 */
export const BEFORE_2012_END = { now: new Date('2026-09-01T00:00:00Z') };
export const BETWEEN = { now: new Date('2026-12-01T00:00:00Z') };
export const WS2016_ACTIVE = { now: new Date('2027-01-13T00:00:00Z') };

export const ws2016 = (properties: Record<string, unknown> = {}, esuProfile: Record<string, unknown> = {}) =>
  ({ name: 'srv-2016-01', properties: { osName: 'Windows Server 2016 Datacenter', osSku: 'Windows Server 2016 Datacenter', osVersion: '10.0.14393', agentVersion: '1.68.03100.1234', ...properties }, esuProfile });
export const linked2016 = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: 'imm-ws2016' };
export const license2016 = (details: Record<string, unknown> = {}) =>
  parsedLicense({ name: 'esu-ws2016-dc', details: { target: 'Windows Server 2016', edition: 'Datacenter', type: 'pCore', processors: 64, immutableId: 'imm-ws2016', ...details } });
export const assigned2012 = { licenseAssignmentState: 'Assigned', assignedLicenseImmutableId: '11111111-2222-4333-8444-555555555555' };

// Built-in ESU policies assigned to the subscription (Azure/azure-policy GuestConfiguration_ArcESU_{Deny,DINE}.json)
export const DENY = '/providers/Microsoft.Authorization/policyDefinitions/4c660f31-eafb-408d-a2b3-6ed2260bd26c';
export const DINE = '/providers/Microsoft.Authorization/policyDefinitions/4864134f-d306-4ff5-94d8-ea4553b18c97';
export const assignment = (name: string, policyDefinitionId: string, properties: Record<string, unknown> = {}) => ({
  id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/policyAssignments/${name}`,
  name, type: 'Microsoft.Authorization/policyAssignments',
  properties: { displayName: name, policyDefinitionId, scope: `/subscriptions/${SUBSCRIPTION_ID}`, enforcementMode: 'Default', ...properties },
});
export const withPolicies = (...raw: unknown[]) => (): SubscriptionSubject => ({
  subscriptionId: SUBSCRIPTION_ID, providers: registered(), sqlDiscoveredInScope: false,
  policyAssignments: raw.flatMap((item) => { const parsed = parsePolicyAssignment(item); return parsed.ok ? [parsed.value] : []; }),
});
