import { license, machine, readFailure, registered, subscription, type RuleCase } from '../../support/ruleHarness.js';

const allPassed = ['Passed', 'Passed', 'Passed', 'Passed', 'Passed', 'Passed'].map((key) => `ProviderRegistered.${key}`);

/** The first rules: agent version, core minimum, providers, access. */
export const CORE_CASES: readonly RuleCase[] = [
  // ESU.Machine.AgentVersion
  { ruleId: 'ESU.Machine.AgentVersion', name: 'pass: newer agent', subject: machine(), expect: ['AgentVersion.Passed'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'pass: exactly 1.34 with build numbers', subject: machine({ properties: { agentVersion: '1.34.02345.1234' } }), expect: ['AgentVersion.Passed'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'pass: 1.34 written short', subject: machine({ properties: { agentVersion: '1.34' } }), expect: ['AgentVersion.Passed'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'fail: 1.33 below minimum', subject: machine({ properties: { agentVersion: '1.33.02399.1302' } }), expect: ['AgentVersion.Failed.BelowMinimum'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'fail: numeric, not lexical (1.4 < 1.34)', subject: machine({ properties: { agentVersion: '1.4.0' } }), expect: ['AgentVersion.Failed.BelowMinimum'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'warn: missing agent version', subject: machine({ properties: { agentVersion: null } }), expect: ['AgentVersion.PassedWithWarning.Unknown'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'warn: empty agent version', subject: machine({ properties: { agentVersion: '' } }), expect: ['AgentVersion.PassedWithWarning.Unknown'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'malformed: "1.x"', subject: machine({ properties: { agentVersion: '1.x' } }), expect: ['AgentVersion.PassedWithWarning.Unparsable'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'malformed: "v1.34"', subject: machine({ properties: { agentVersion: 'v1.34' } }), expect: ['AgentVersion.PassedWithWarning.Unparsable'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'malformed: number instead of text', subject: machine({ properties: { agentVersion: 1.34 } }), expect: ['AgentVersion.PassedWithWarning.Unknown'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'in scope by osVersion 6.2 when osName is null', subject: machine({ properties: { osName: null, osSku: null, osVersion: '6.2.9200', agentVersion: '1.20' } }), expect: ['AgentVersion.Failed.BelowMinimum'], jobs: ['upgrade-agent'] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'out of scope: Windows Server 2019', subject: machine({ properties: { osName: 'Windows Server 2019 Datacenter', osSku: null, osVersion: '10.0.17763', agentVersion: '1.20' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'out of scope: Linux', subject: machine({ properties: { osName: 'ubuntu', osSku: null, osType: 'linux', osVersion: '22.04', agentVersion: '1.20' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'out of scope: Storage Server 2012 R2', subject: machine({ properties: { osName: 'Windows Storage Server 2012 R2 Standard', osSku: null, agentVersion: '1.20' } }), expect: [] },
  { ruleId: 'ESU.Machine.AgentVersion', name: 'out of scope: Windows 8.1 has 6.3 too', subject: machine({ properties: { osName: 'Windows 8.1 Pro', osSku: null, agentVersion: '1.20' } }), expect: [] },

  // ESU.License.CoreMinimum
  { ruleId: 'ESU.License.CoreMinimum', name: 'pass: pCore 16', subject: license(), expect: ['CoreMinimum.Passed'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'pass: vCore 8', subject: license({ details: { type: 'vCore', processors: 8 } }), expect: ['CoreMinimum.Passed'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'fail: pCore 8', subject: license({ details: { processors: 8 } }), expect: ['CoreMinimum.Failed.BelowMinimum'], jobs: ['resize-license'], evidence: { minimum: 16, processors: 8 } },
  { ruleId: 'ESU.License.CoreMinimum', name: 'fail: vCore 4', subject: license({ details: { type: 'vCore', processors: 4 } }), expect: ['CoreMinimum.Failed.BelowMinimum'], jobs: ['resize-license'], evidence: { minimum: 8 } },
  { ruleId: 'ESU.License.CoreMinimum', name: 'fail: spec example (Datacenter pCore with 6)', subject: license({ details: { edition: 'Datacenter', processors: 6 } }), expect: ['CoreMinimum.Failed.BelowMinimum'], jobs: ['resize-license'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'pass: numeric string core count', subject: license({ details: { processors: '24' } }), expect: ['CoreMinimum.Passed'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'missing: no licenseDetails', subject: license({ details: null }), expect: ['CoreMinimum.Error.MissingDetails'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'malformed: non-numeric processors', subject: license({ details: { processors: 'sixteen' } }), expect: ['CoreMinimum.Error.InvalidCoreCount'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'malformed: fractional processors', subject: license({ details: { processors: 16.5 } }), expect: ['CoreMinimum.Error.InvalidCoreCount'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'malformed: unknown license type', subject: license({ details: { type: 'socket' } }), expect: ['CoreMinimum.Error.UnknownType'] },
  { ruleId: 'ESU.License.CoreMinimum', name: 'not applicable: non-ESU license', subject: license({ licenseType: 'WindowsServer' }), expect: [] },

  // ESU.Subscription.ProviderRegistered
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'pass: all registered, no SQL', subject: subscription(registered()), expect: allPassed },
  {
    ruleId: 'ESU.Subscription.ProviderRegistered', name: 'fail: GuestConfiguration not registered; warn: Security registering',
    subject: subscription(registered(['Microsoft.GuestConfiguration', 'NotRegistered'], ['Microsoft.Security', 'Registering'])),
    expect: ['ProviderRegistered.Passed', 'ProviderRegistered.Failed.NotRegistered', 'ProviderRegistered.Passed', 'ProviderRegistered.PassedWithWarning.Registering', 'ProviderRegistered.Passed', 'ProviderRegistered.Passed'],
    jobs: ['register-provider'],
  },
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'Microsoft.Sql needed only with SQL in scope', subject: subscription(registered(['Microsoft.Sql', 'NotRegistered']), true), expect: [...allPassed, 'ProviderRegistered.Failed.NotRegistered'], jobs: ['register-provider'] },
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'Microsoft.Sql ignored without SQL', subject: subscription(registered(['Microsoft.Sql', 'NotRegistered']), false), expect: allPassed },
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'missing: provider absent from the list counts as not registered', subject: subscription(registered().filter((p) => p.namespace !== 'Microsoft.Compute')), expect: ['ProviderRegistered.Passed', 'ProviderRegistered.Passed', 'ProviderRegistered.Failed.NotRegistered', 'ProviderRegistered.Passed', 'ProviderRegistered.Passed', 'ProviderRegistered.Passed'], jobs: ['register-provider'] },
  { ruleId: 'ESU.Subscription.ProviderRegistered', name: 'malformed: unknown state fails, casing ignored', subject: subscription(registered(['Microsoft.HybridCompute', 'Weird']).map((p) => ({ ...p, namespace: p.namespace.toLowerCase() }))), expect: ['ProviderRegistered.Failed.NotRegistered', ...allPassed.slice(1)], jobs: ['register-provider'] },

  // ESU.Subscription.Access
  { ruleId: 'ESU.Subscription.Access', name: 'error: 403 names the missing Reader role', subject: readFailure({ statusCode: 403 }), expect: ['Access.Error.AccessDenied'], evidence: { missingRole: 'Reader', statusCode: 403 } },
  { ruleId: 'ESU.Subscription.Access', name: 'error: 404 subscription not found', subject: readFailure({ statusCode: 404, code: 'SubscriptionNotFound' }), expect: ['Access.Error.NotFound'] },
  { ruleId: 'ESU.Subscription.Access', name: 'error: malformed response', subject: readFailure({ code: 'MalformedResponse', detail: 'not JSON' }), expect: ['Access.Error.Malformed'] },
  { ruleId: 'ESU.Subscription.Access', name: 'error: service unavailable', subject: readFailure({ statusCode: 503, code: 'ServiceUnavailable' }), expect: ['Access.Error.Unavailable'] },
];
