import { isEnforced, sameDefinition } from '../../domain/policyAssignment.js';
import { ESU_POLICY_DEFINITIONS } from '../../programs/catalogue.js';
import type { EvaluationContext, SubscriptionSubject } from '../context.js';
import { defineRule, type RuleOutcome } from '../rule.js';

/**
 * Built-in policies that change what a license fix can do (domain doc; Troubleshoot ESU, "Resource providers": a Deny policy can block enablement):
 * the Deny policy refuses every create or update of `Microsoft.HybridCompute/licenses` in its scope, so license
 * jobs there will fail (they name it); the DeployIfNotExists policy links every Eligible machine to one license.
 */
export const licensePolicyRule = defineRule({
  id: 'ESU.Subscription.LicensePolicy',
  title: 'ESU license policies assigned to the subscription are known',
  group: 'Subscription',
  severity: 'Medium',
  messagePrefix: 'LicensePolicy',
  description:
    'Two built-in Azure Policy definitions change what ESU license fixes can do: "[Preview]: Deny Extended Security Updates (ESUs) license creation or modification" refuses every license create or update in its scope (WS2016 licenses included), and "Enable ESUs license ..." (DeployIfNotExists) links every Eligible machine to the license named in its parameter.',
  recommendation: 'Before running license jobs in the scope of the Deny assignment, request a policy exemption or have its owner set it to Disabled; check that the auto-link assignment names a license of the right program with enough cores.',
  links: [
    { title: 'Troubleshoot ESU: role and policy assignments that block license writes', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates' },
    { title: 'Azure Policy exemptions', url: 'https://learn.microsoft.com/azure/governance/policy/concepts/exemption-structure' },
    { title: 'Built-in policy definitions for Azure Arc-enabled servers', url: 'https://learn.microsoft.com/azure/azure-arc/servers/policy-reference' },
  ],
  messages: {
    'PassedWithWarning.LicenseWritesDenied': (e) =>
      `Policy assignment "${e['displayName']}" (scope ${e['scope']}) denies every ESU license creation and update: license jobs in its scope (create, activate, resize, deactivate) will fail until an exemption is granted or its effect is set to Disabled.`,
    'Passed.DenyNotEnforced': (e) =>
      `Policy assignment "${e['displayName']}" (ESU license Deny) is assigned but not enforced (enforcementMode ${e['enforcementMode']}, effect ${e['effect']}): license writes are allowed.`,
    'Passed.AutoLink': (e) =>
      `Policy assignment "${e['displayName']}" (scope ${e['scope']}) links every Eligible Windows machine in its scope to license ${e['licenseId']}.`,
    'PassedWithWarning.AutoLinkWithoutLicense': (e) =>
      `Policy assignment "${e['displayName']}" (scope ${e['scope']}) should link Eligible machines to an ESU license, but its ${e['parameter']} parameter names none.`,
  },
  evaluate(subscription: SubscriptionSubject, _context: EvaluationContext) {
    const outcomes: RuleOutcome<'PassedWithWarning.LicenseWritesDenied' | 'Passed.DenyNotEnforced' | 'Passed.AutoLink' | 'PassedWithWarning.AutoLinkWithoutLicense'>[] = [];
    for (const assignment of subscription.policyAssignments ?? []) {
      const target = { resourceId: assignment.id, resourceType: 'Microsoft.Authorization/policyAssignments', resourceName: assignment.name };
      const facts = {
        policyAssignmentId: assignment.id,
        displayName: assignment.displayName ?? assignment.name,
        policyDefinitionId: assignment.policyDefinitionId ?? null,
        scope: assignment.scope ?? `/subscriptions/${subscription.subscriptionId}`,
        enforcementMode: assignment.enforcementMode ?? 'Default',
        effect: typeof assignment.parameters['effect'] === 'string' ? assignment.parameters['effect'] : 'default',
        notScopes: [...assignment.notScopes],
      };
      if (sameDefinition(assignment, ESU_POLICY_DEFINITIONS.denyLicenseWrites)) {
        outcomes.push({ key: isEnforced(assignment) ? 'PassedWithWarning.LicenseWritesDenied' : 'Passed.DenyNotEnforced', evidence: facts, target });
      } else if (sameDefinition(assignment, ESU_POLICY_DEFINITIONS.autoLinkLicense) && isEnforced(assignment)) {
        const licenseId = assignment.parameters[ESU_POLICY_DEFINITIONS.autoLinkLicenseParameter];
        outcomes.push(typeof licenseId === 'string' && licenseId.trim() !== ''
          ? { key: 'Passed.AutoLink', evidence: { ...facts, licenseId }, target }
          : { key: 'PassedWithWarning.AutoLinkWithoutLicense', evidence: { ...facts, parameter: ESU_POLICY_DEFINITIONS.autoLinkLicenseParameter }, target });
      }
    }
    return outcomes.length > 0 ? outcomes : undefined;
  },
});
