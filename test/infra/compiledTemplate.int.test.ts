/**
 * What infra/ deploys, read from the templates the real Bicep compiler builds (skipped without one, like
 * bicep.int.test.ts; BICEP_REQUIRED=1 in CI makes them fail instead): the data account's lock and redundancy
 * parameter, the app's data roles on its own queues and tables, the topic's settings and alerts, diagnostic
 * settings to the workspace, and the management-group Reader template.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { failures, findBicep, runBicep } from '../support/bicepCompiler.js';
import { repoRoot } from '../support/repoRoot.js';

const ROLE = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
};

interface Template {
  readonly $schema: string;
  readonly parameters?: Record<string, { type: string; defaultValue?: unknown; allowedValues?: unknown[] }>;
  readonly variables?: Record<string, unknown>;
  readonly resources: Record<string, Resource> | Resource[];
}

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly scope?: string;
  readonly copy?: { readonly name: string; readonly count: string };
  readonly sku?: { readonly name?: string };
  readonly properties?: Record<string, unknown> & { readonly template?: Template };
}

/** A resource with the template (module) it is declared in, for resolving `[variables('x')]`. */
interface Placed {
  readonly module: string;
  readonly template: Template;
  readonly resource: Resource;
}

function resourcesOf(template: Template, module = 'main'): Placed[] {
  const own = Array.isArray(template.resources) ? template.resources : Object.values(template.resources);
  return own.flatMap((resource) => [
    { module, template, resource },
    ...(resource.type === 'Microsoft.Resources/deployments' && resource.properties?.template ? resourcesOf(resource.properties.template, resource.name) : []),
  ]);
}

/** A literal, or the value of `[variables('name')]` in the template that declares it. */
function valueOf(placed: Placed, value: unknown): unknown {
  const variable = typeof value === 'string' ? /^\[variables\('(\w+)'\)\]$/.exec(value)?.[1] : undefined;
  return variable ? placed.template.variables?.[variable] : value;
}

/** The role definition GUID an assignment names, literally or through a variable of its template. */
function roleOf(placed: Placed): string {
  const text = String(placed.resource.properties?.['roleDefinitionId']);
  const variable = /variables\('(\w+)'\)/.exec(text)?.[1];
  return variable ? String(placed.template.variables?.[variable]) : (/[0-9a-f-]{36}/.exec(text)?.[0] ?? '');
}

const ROOT = repoRoot();
const found = findBicep();
const skip = 'path' in found ? false : `skipped: ${found.missing}`;

function build(file: string): Template {
  assert.ok('path' in found);
  const run = runBicep(found.path, 'build', join(ROOT, 'infra', file));
  assert.deepEqual(failures(run), []);
  return JSON.parse(run.stdout) as Template;
}

describe('infra/ as compiled', { skip }, () => {
  let main: Template;
  let all: Placed[];
  const ofType = (type: string, module?: string): Placed[] => all.filter((p) => p.resource.type === type && (module === undefined || p.module === module));

  before(() => {
    main = build('main.bicep');
    all = resourcesOf(main);
  });

  test('the data account cannot be deleted: a CanNotDelete lock on it', () => {
    const locks = ofType('Microsoft.Authorization/locks');
    assert.equal(locks.length, 1);
    const lock = locks[0]!;
    assert.equal(lock.module, 'storage');
    assert.equal(lock.resource.properties?.['level'], 'CanNotDelete');
    assert.equal(lock.resource.scope, "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]", 'scoped to the account');
  });

  test('redundancy is a parameter, zone-redundant by default, fed by azd', () => {
    const parameter = main.parameters?.['storageSkuName'];
    assert.equal(parameter?.defaultValue, 'Standard_ZRS');
    assert.deepEqual([...(parameter?.allowedValues ?? [])].sort(), ['Standard_GZRS', 'Standard_LRS', 'Standard_ZRS']);
    const [account] = ofType('Microsoft.Storage/storageAccounts');
    assert.equal(account?.resource.sku?.name, "[parameters('skuName')]");
    const storageModule = ofType('Microsoft.Resources/deployments').find((p) => p.resource.name === 'storage');
    assert.deepEqual((storageModule?.resource.properties?.['parameters'] as Record<string, unknown>)['skuName'], { value: "[parameters('storageSkuName')]" });
  });

  test("the app's queue and table roles are scoped to its own queues and tables, never the account", () => {
    const assignments = ofType('Microsoft.Authorization/roleAssignments', 'storage');
    assert.ok(assignments.some((p) => roleOf(p) === ROLE.blobDataOwner), 'blob role (host storage) on the account');
    const withRole = (role: string) => assignments.filter((p) => roleOf(p) === role);
    const app = (p: Placed) => p.resource.properties?.['principalId'] === "[parameters('identityPrincipalId')]";
    const queueRoles = withRole(ROLE.queueDataContributor).filter(app);
    const tableRoles = withRole(ROLE.tableDataContributor).filter(app);
    assert.equal(queueRoles.length, 1, 'one loop of queue role assignments');
    assert.equal(tableRoles.length, 1, 'one loop of table role assignments');
    assert.match(String(queueRoles[0]!.resource.scope), /^\[resourceId\('Microsoft\.Storage\/storageAccounts\/queueServices\/queues', .*variables\('queueNames'\)\[copyIndex\(\)\]\)\]$/);
    assert.match(String(queueRoles[0]!.resource.copy?.count), /length\(variables\('queueNames'\)\)/);
    assert.match(String(tableRoles[0]!.resource.scope), /^\[resourceId\('Microsoft\.Storage\/storageAccounts\/tableServices\/tables', .*variables\('tableNames'\)\[copyIndex\(\)\]\)\]$/);
    assert.match(String(tableRoles[0]!.resource.copy?.count), /length\(variables\('tableNames'\)\)/);
    const storage = ofType('Microsoft.Storage/storageAccounts')[0]!;
    assert.deepEqual(storage.template.variables?.['queueNames'], ['esu-scan-requests', 'esu-scan-requests-poison']);
    assert.equal((storage.template.variables?.['tableNames'] as unknown[]).length, 8);
  });

  test('the topic has room for a first large scan, and messages nobody reads expire without dead-lettering', () => {
    const [topic] = ofType('Microsoft.ServiceBus/namespaces/topics');
    assert.ok(topic);
    const size = Number(valueOf(topic, topic.resource.properties?.['maxSizeInMegabytes']));
    assert.equal(size, 5120, 'the largest size Standard allows');
    const ttl = String(valueOf(topic, topic.resource.properties?.['defaultMessageTimeToLive']));
    assert.equal(ttl, 'P7D');
    for (const subscription of ofType('Microsoft.ServiceBus/namespaces/topics/subscriptions')) {
      assert.equal(subscription.resource.properties?.['deadLetteringOnMessageExpiration'], false, subscription.resource.name);
      assert.equal(String(valueOf(subscription, subscription.resource.properties?.['defaultMessageTimeToLive'])), 'P7D');
    }
    const alerts = ofType('Microsoft.Insights/metricAlerts', 'serviceBus');
    assert.equal(alerts.length, 1, 'one loop of metric alerts');
    const alertList = alerts[0]!.template.variables?.['topicAlerts'] as { metricName: string; threshold: unknown }[];
    assert.deepEqual(alertList.map((alert) => alert.metricName).sort(), ['DeadletteredMessages', 'Size']);
  });

  test('storage (tables and queues), Service Bus and the app send their logs to the workspace', () => {
    const settings = ofType('Microsoft.Insights/diagnosticSettings');
    const scopes = settings.map((p) => `${p.module}:${String(p.resource.scope)}`);
    for (const [module, pattern] of [['storage', /tableServices/], ['storage', /queueServices/], ['serviceBus', /ServiceBus\/namespaces/], ['functionApp', /Web\/sites/]] as const) {
      assert.ok(settings.some((p) => p.module === module && pattern.test(String(p.resource.scope))), `${module} ${pattern}: ${scopes.join(', ')}`);
    }
    for (const setting of settings) {
      assert.equal(setting.resource.properties?.['workspaceId'], "[parameters('workspaceId')]");
      assert.ok((setting.resource.properties?.['logs'] as unknown[]).length > 0);
    }
    const table = settings.find((p) => /tableServices/.test(String(p.resource.scope)))!;
    assert.deepEqual((table.resource.properties?.['logs'] as { category: string }[]).map((log) => log.category).sort(), ['StorageDelete', 'StorageRead', 'StorageWrite']);
  });

  test('the management-group template grants Reader, and only Reader, at management-group scope', () => {
    const template = build('managementGroupReader.bicep');
    assert.match(template.$schema, /managementGroupDeploymentTemplate\.json#$/);
    const resources = resourcesOf(template);
    assert.deepEqual(resources.map((p) => p.resource.type), ['Microsoft.Authorization/roleAssignments']);
    const assignment = resources[0]!;
    assert.equal(roleOf(assignment), ROLE.reader);
    assert.match(String(assignment.resource.properties?.['roleDefinitionId']), /^\[tenantResourceId\('Microsoft\.Authorization\/roleDefinitions'/);
    assert.equal(template.parameters?.['principalId']?.type, 'string');
  });
});
