/**
 * The custom tables, the rule's streams and the code's records agree, as the real Bicep compiler builds infra/:
 * every table has a stream with the same columns and a data flow into itself, every record the code builds
 * fits its stream (names and types) and fills its columns, and only the app's identity may publish, to the rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordProblems } from '../../local/telemetrySchema.js';
import { streamOf, TELEMETRY_TABLES, type TelemetryKind } from '../../shared/telemetry/streams.js';
import { SETTINGS } from '../../shared/config/settings.js';
import { repoRoot } from '../support/repoRoot.js';
import { compiledMain, compiledSchema, skipWithoutBicep } from './compiledTelemetry.js';
import { everyRow } from './telemetryFixtures.js';

const MONITORING_METRICS_PUBLISHER = '3913510d-42f4-4e42-8a64-420c390055eb';

interface Resource { type: string; name: string; condition?: unknown; scope?: string; properties?: Record<string, unknown> & { template?: Template } }
interface Template { variables?: Record<string, unknown>; resources: Resource[] | Record<string, Resource> }

function deployments(template: Template): Map<string, { resource: Resource; template: Template }> {
  const out = new Map<string, { resource: Resource; template: Template }>();
  const list = Array.isArray(template.resources) ? template.resources : Object.values(template.resources);
  for (const resource of list) if (resource.type === 'Microsoft.Resources/deployments' && resource.properties?.template) out.set(resource.name, { resource, template: resource.properties.template });
  return out;
}
const resourcesOf = (template: Template): Resource[] => (Array.isArray(template.resources) ? template.resources : Object.values(template.resources));

describe('Log Analytics tables, streams and records, from the compiled template', { skip: skipWithoutBicep }, () => {
  it('lists the tables, columns and streams; each table has its stream with the same columns and a flow into itself', () => {
    const schema = compiledSchema();
    const listing = [...schema.tables].map(([table, columns]) => `${table}: ${columns.map((c) => `${c.name}:${c.type}`).join(', ')}`);
    console.log(listing.join('\n'));
    assert.deepEqual([...schema.tables.keys()].sort(), Object.values(TELEMETRY_TABLES).sort());
    for (const [table, columns] of schema.tables) {
      assert.deepEqual(schema.streams.get(`Custom-${table}`), columns, `stream of ${table}`);
      assert.ok(schema.flows.some((flow) => flow.stream === `Custom-${table}` && flow.outputStream === `Custom-${table}`), `flow of ${table}`);
      assert.deepEqual(columns.find((c) => c.name === 'TimeGenerated'), { name: 'TimeGenerated', type: 'datetime' }, `${table} has TimeGenerated`);
      assert.ok(columns.some((c) => c.name === 'RecordId'), `${table} has RecordId`);
    }
    assert.equal(schema.streams.size, schema.tables.size);
  });

  it('every record the code builds fits its stream, and fills every declared column', () => {
    const schema = compiledSchema();
    const rows = everyRow();
    for (const kind of Object.keys(TELEMETRY_TABLES) as TelemetryKind[]) {
      const records = rows[kind] ?? [];
      assert.ok(records.length > 0, `no sample ${kind} rows`);
      const columns = schema.streams.get(streamOf(kind));
      assert.ok(columns, `no stream ${streamOf(kind)}`);
      for (const record of records) assert.deepEqual(recordProblems(record, columns), [], `${kind}: ${JSON.stringify(record)}`);
      const filled = new Set(records.flatMap((record) => Object.keys(record)));
      assert.deepEqual(columns.map((c) => c.name).filter((name) => !filled.has(name)), [], `${kind}: declared columns the code never fills`);
    }
  });

  it('a record with a renamed or mistyped column does not fit (the check can fail)', () => {
    const columns = compiledSchema().streams.get(streamOf('ruleCounts'))!;
    const record = { ...everyRow().ruleCounts![0]! };
    const { Findings, ...renamed } = record;
    assert.deepEqual(recordProblems({ ...renamed, FindingCount: Findings }, columns), ['column FindingCount is not declared']);
    assert.equal(recordProblems({ ...record, Findings: '3' }, columns).length, 1);
  });

  it('Monitoring Metrics Publisher for the app identity on the rule only; ingestion, workbook and their alerts follow logAnalyticsIngestion', () => {
    const main = compiledMain() as Template;
    const modules = deployments(main);
    const ingestion = modules.get('logIngestion');
    assert.ok(ingestion);
    assert.equal(ingestion.resource.condition, "[parameters('logAnalyticsIngestion')]");
    assert.equal(modules.get('workbook')?.resource.condition, "[parameters('logAnalyticsIngestion')]");
    const roles = resourcesOf(ingestion.template).filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    assert.equal(roles.length, 1);
    assert.match(String(roles[0]!.properties?.['roleDefinitionId']), /monitoringMetricsPublisherRoleDefinitionId/);
    assert.equal(ingestion.template.variables?.['monitoringMetricsPublisherRoleDefinitionId'], MONITORING_METRICS_PUBLISHER);
    assert.equal(roles[0]!.scope, "[resourceId('Microsoft.Insights/dataCollectionRules', parameters('ruleName'))]");
    assert.equal(roles[0]!.properties?.['principalId'], "[parameters('identityPrincipalId')]");
    // No other module grants anything on the workspace or the rule; no shared key is read anywhere.
    const text = JSON.stringify(main);
    assert.doesNotMatch(text, /sharedKeys|listKeys/);
    const alerts = modules.get('alerts');
    assert.ok(alerts);
    const params = alerts.resource.properties?.['parameters'] as Record<string, { value: unknown }>;
    assert.equal(params['customTablesDeployed']?.value, "[parameters('logAnalyticsIngestion')]");
  });

  it('the workbook is the file in infra/, deployed as a shared workbook on the workspace', () => {
    const workbook = deployments(compiledMain() as Template).get('workbook');
    assert.ok(workbook);
    const resource = resourcesOf(workbook.template).find((r) => r.type === 'Microsoft.Insights/workbooks');
    assert.ok(resource);
    const serialized = String(resource.properties?.['serializedData']);
    const variable = /^\[variables\('([^']+)'\)\]$/.exec(serialized)?.[1];
    const content = variable ? workbook.template.variables?.[variable] : serialized;
    assert.equal(content, readFileSync(join(repoRoot(), 'infra', 'monitoring', 'esu-workbook.json'), 'utf8'));
    assert.equal(resource.properties?.['sourceId'], "[parameters('workspaceId')]");
  });

  it('the app gets the rule\'s endpoint and immutable id, empty when ingestion is off', () => {
    const functionApp = deployments(compiledMain() as Template).get('functionApp');
    const params = functionApp?.resource.properties?.['parameters'] as Record<string, { value: string }>;
    assert.match(params['logsIngestionEndpoint']!.value, /logsIngestionEndpoint/);
    assert.match(params['logsIngestionRuleId']!.value, /ruleImmutableId/);
    assert.match(params['logsIngestionEndpoint']!.value, /logAnalyticsIngestion|tryGet|\?\?|coalesce/);
    assert.equal(SETTINGS.logsIngestionEndpoint.name, 'ESU_LOGS_INGESTION_ENDPOINT');
  });
});
