/**
 * The alert rules as compiled: two log alerts over the custom tables (only when they are deployed), the
 * poison-queue log alert and the function-failure metric alert always, and one optional action group (only
 * with e-mail addresses) that every alert, the topic's included, notifies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compiledMain, skipWithoutBicep } from './compiledTelemetry.js';

interface Resource { type: string; name: string; condition?: string; copy?: { count: string }; properties?: Record<string, unknown> & { template?: Template } }
interface Template { parameters?: Record<string, { defaultValue?: unknown }>; variables?: Record<string, unknown>; resources: Resource[] | Record<string, Resource> }
const resourcesOf = (template: Template): Resource[] => (Array.isArray(template.resources) ? template.resources : Object.values(template.resources));
const module = (name: string): Resource => {
  const found = resourcesOf(compiledMain() as Template).find((r) => r.type === 'Microsoft.Resources/deployments' && r.name === name);
  assert.ok(found, name);
  return found;
};
const parameter = (resource: Resource, name: string): string => String((resource.properties?.['parameters'] as Record<string, { value: unknown }>)[name]?.value);

describe('alert rules and their receivers, as compiled', { skip: skipWithoutBicep }, () => {
  it('log alerts: new High findings and the dead-man switch only with the custom tables; the poison queue always', () => {
    const alerts = module('alerts');
    const template = alerts.properties!.template!;
    const rules = resourcesOf(template).filter((r) => r.type === 'Microsoft.Insights/scheduledQueryRules');
    assert.equal(rules.length, 1);
    assert.equal(rules[0]!.copy?.count, "[length(variables('logAlerts'))]");
    const list = String(template.variables?.['logAlerts']);
    assert.match(list, /^\[concat\(if\(parameters\('customTablesDeployed'\), createArray\(createObject\('name', 'esu-new-high-findings'.*'esu-scan-overdue'.*\), createArray\(\)\), createArray\(createObject\('name', 'esu-scan-request-poisoned'/);
    assert.match(String(template.variables?.['overdueQuery']), /replace\(.*'let overdueAfter = 26h;'.*parameters\('scanOverdueAfterHours'\)/);
    assert.equal((compiledMain() as Template).parameters?.['scanOverdueAfterHours']?.defaultValue, 26);
    assert.equal(parameter(alerts, 'customTablesDeployed'), "[parameters('logAnalyticsIngestion')]");
  });

  it('a metric alert on failed function executions, on the app\'s Application Insights', () => {
    const template = module('alerts').properties!.template!;
    const [metric] = resourcesOf(template).filter((r) => r.type === 'Microsoft.Insights/metricAlerts');
    const criteria = (metric!.properties?.['criteria'] as { allOf: { metricName: string; metricNamespace: string; threshold: number }[] }).allOf;
    assert.deepEqual(criteria.map((c) => [c.metricName, c.metricNamespace, c.threshold]), [['requests/failed', 'microsoft.insights/components', 0]]);
  });

  it('the action group exists only with e-mail addresses, and the topic\'s alerts use it too', () => {
    assert.equal(module('actionGroup').condition, "[not(empty(trim(parameters('alertEmails'))))]");
    assert.equal((compiledMain() as Template).parameters?.['alertEmails']?.defaultValue, '');
    const fromActionGroup = /actionGroup.*outputs.*id/;
    assert.match(parameter(module('alerts'), 'actionGroupId'), fromActionGroup);
    assert.match(parameter(module('serviceBus'), 'alertActionGroupId'), fromActionGroup);
  });
});
