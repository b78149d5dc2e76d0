import type { SubscriptionSubject } from '../context.js';
import { registerProviderCommands } from '../../remediation/fixes.js';
import { defineRule } from '../rule.js';

/** Providers ESU through Arc depends on (Troubleshoot ESU, "Resource providers"). */
export const REQUIRED_PROVIDERS = [
  'Microsoft.HybridCompute',
  'Microsoft.GuestConfiguration',
  'Microsoft.Compute',
  'Microsoft.Security',
  'Microsoft.OperationalInsights',
  'Microsoft.Storage',
] as const;
/** Needed only where SQL Server runs on an in-scope machine. */
export const SQL_PROVIDER = 'Microsoft.Sql';

export const providerRegisteredRule = defineRule({
  id: 'ESU.Subscription.ProviderRegistered',
  title: 'Resource providers for Arc ESU are registered',
  group: 'Subscription',
  severity: 'High',
  messagePrefix: 'ProviderRegistered',
  description:
    'Arc-enabled servers, ESU licenses, guest configuration and update assessment need their resource providers registered in each subscription that holds machines or licenses.',
  recommendation: 'Register the missing resource provider in the subscription (needs Contributor or a role with */register/action).',
  links: [
    { title: 'Azure Arc-enabled servers prerequisites: resource providers', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#azure-resource-providers' },
    { title: 'Resource providers and types', url: 'https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types' },
  ],
  messages: {
    Passed: (e) => `${e['namespace']} is registered.`,
    'PassedWithWarning.Registering': (e) => `${e['namespace']} is still registering; ESU features may not work until it is Registered.`,
    'Failed.NotRegistered': (e) => `${e['namespace']} is ${e['registrationState']}: ${e['neededFor']} will not work in this subscription.`,
  },
  evaluate(subscription: SubscriptionSubject) {
    if (subscription.providers === undefined) return undefined;
    const required: string[] = [...REQUIRED_PROVIDERS];
    if (subscription.sqlDiscoveredInScope) required.push(SQL_PROVIDER);
    const states = new Map(subscription.providers.map((p) => [p.namespace.toLowerCase(), p.registrationState]));
    return required.map((namespace) => {
      const registrationState = states.get(namespace.toLowerCase()) ?? 'NotRegistered';
      const evidence = {
        namespace,
        registrationState,
        neededFor: namespace === SQL_PROVIDER ? 'SQL Server discovered on an in-scope machine' : 'ESU through Azure Arc',
      };
      const target = {
        resourceId: `/subscriptions/${subscription.subscriptionId}/providers/${namespace}`,
        resourceType: 'Microsoft.Resources/providers',
        resourceName: namespace,
      };
      const state = registrationState.toLowerCase();
      const key = state === 'registered' ? 'Passed' : state === 'registering' ? 'PassedWithWarning.Registering' : 'Failed.NotRegistered';
      return { key, evidence, target } as const;
    });
  },
  remediation: {
    jobType: 'register-provider',
    commands: (subscription, outcome) => {
      const namespace = String(outcome.evidence?.['namespace'] ?? '');
      return registerProviderCommands(subscription.subscriptionId, namespace);
    },
  },
});
