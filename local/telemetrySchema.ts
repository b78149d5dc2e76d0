/**
 * The Log Analytics tables and the data collection rule's streams as the compiled template declares them
 * (infra/modules/logIngestion.bicep over infra/monitoring/tables.json): what the ingestion stand-in checks
 * every record against, and what the tests check the code's records and the KQL queries against.
 * It reads the shapes that module compiles to; anything else is refused, so a change there is noticed.
 */

export interface StreamColumn {
  readonly name: string;
  readonly type: string;
}

export interface TelemetrySchema {
  /** Table name → columns (the tables resources). */
  readonly tables: ReadonlyMap<string, readonly StreamColumn[]>;
  /** Stream name (`Custom-…`) → columns (the rule's streamDeclarations). */
  readonly streams: ReadonlyMap<string, readonly StreamColumn[]>;
  /** The rule's data flows: which stream goes to which output stream. */
  readonly flows: readonly { readonly stream: string; readonly outputStream: string }[];
}

interface Template {
  readonly variables?: Record<string, unknown>;
  readonly resources: Record<string, Resource> | Resource[];
}

interface Resource {
  readonly type: string;
  readonly copy?: { readonly count?: string };
  readonly properties?: Record<string, unknown> & { readonly template?: Template };
}

interface TableItem {
  readonly name: string;
  readonly columns: readonly StreamColumn[];
}

const resourcesOf = (template: Template): Resource[] => (Array.isArray(template.resources) ? template.resources : Object.values(template.resources));

/** The (nested) template that declares the data collection rule. */
function templateWithRule(template: Template): Template | undefined {
  for (const resource of resourcesOf(template)) {
    if (resource.type === 'Microsoft.Insights/dataCollectionRules') return template;
    if (resource.type === 'Microsoft.Resources/deployments' && resource.properties?.template) {
      const found = templateWithRule(resource.properties.template);
      if (found) return found;
    }
  }
  return undefined;
}

function variable(template: Template, name: string): unknown {
  const value = template.variables?.[name];
  const reference = typeof value === 'string' ? /^\[variables\('([^']+)'\)\]$/.exec(value)?.[1] : undefined;
  return reference ? variable(template, reference) : value;
}

function tableList(template: Template, name: string): TableItem[] {
  const value = variable(template, name);
  if (!Array.isArray(value)) throw new Error(`variable ${name} is not a list of tables`);
  return value as TableItem[];
}

const columnsOf = (columns: readonly StreamColumn[]): StreamColumn[] => columns.map((column) => ({ name: column.name, type: column.type }));

const STREAMS_EXPRESSION = /^\[toObject\(variables\('(\w+)'\), lambda\('table', format\('Custom-\{0\}', lambdaVariables\('table'\)\.name\)\), lambda\('table', createObject\('columns', map\(lambdaVariables\('table'\)\.columns, lambda\('column', createObject\('name', lambdaVariables\('column'\)\.name, 'type', lambdaVariables\('column'\)\.type\)\)\)\)\)\)\]$/;
const LOOP_COUNT = /^\[length\(variables\('(\w+)'\)\)\]$/;

export function telemetrySchemaOf(compiled: unknown): TelemetrySchema {
  const template = templateWithRule(compiled as Template);
  if (!template) throw new Error('the template declares no data collection rule');
  const resources = resourcesOf(template);

  const tables = new Map<string, StreamColumn[]>();
  for (const resource of resources.filter((r) => r.type === 'Microsoft.OperationalInsights/workspaces/tables')) {
    const loop = LOOP_COUNT.exec(resource.copy?.count ?? '')?.[1];
    const schema = resource.properties?.['schema'] as { name?: string; columns?: unknown } | undefined;
    if (loop && schema?.columns === `[variables('${loop}')[copyIndex()].columns]` && schema.name === `[variables('${loop}')[copyIndex()].name]`) {
      for (const table of tableList(template, loop)) tables.set(table.name, columnsOf(table.columns));
    } else if (!loop && typeof schema?.name === 'string' && Array.isArray(schema.columns)) {
      tables.set(schema.name, columnsOf(schema.columns as StreamColumn[]));
    } else {
      throw new Error('a tables resource has a shape this reader does not know');
    }
  }

  const rule = resources.find((r) => r.type === 'Microsoft.Insights/dataCollectionRules');
  const declarations = rule?.properties?.['streamDeclarations'];
  const streams = new Map<string, StreamColumn[]>();
  const derived = typeof declarations === 'string' ? STREAMS_EXPRESSION.exec(declarations)?.[1] : undefined;
  if (derived) {
    for (const table of tableList(template, derived)) streams.set(`Custom-${table.name}`, columnsOf(table.columns));
  } else if (declarations && typeof declarations === 'object') {
    for (const [stream, declaration] of Object.entries(declarations as Record<string, { columns: StreamColumn[] }>)) streams.set(stream, columnsOf(declaration.columns));
  } else {
    throw new Error('the rule\'s streamDeclarations have a shape this reader does not know');
  }

  const flows: { stream: string; outputStream: string }[] = [];
  const flowLoop = (rule?.properties?.['copy'] as { name: string; count: string; input: { streams: string[]; outputStream: string } }[] | undefined)?.find((c) => c.name === 'dataFlows');
  if (flowLoop) {
    const loop = LOOP_COUNT.exec(flowLoop.count)?.[1];
    const expected = `[format('Custom-{0}', variables('${loop}')[copyIndex('dataFlows')].name)]`;
    if (!loop || flowLoop.input.streams.length !== 1 || flowLoop.input.streams[0] !== expected || flowLoop.input.outputStream !== expected) throw new Error('the rule\'s dataFlows have a shape this reader does not know');
    for (const table of tableList(template, loop)) flows.push({ stream: `Custom-${table.name}`, outputStream: `Custom-${table.name}` });
  } else {
    for (const flow of (rule?.properties?.['dataFlows'] ?? []) as { streams: string[]; outputStream: string }[]) for (const stream of flow.streams) flows.push({ stream, outputStream: flow.outputStream });
  }
  return { tables, streams, flows };
}

/** Why a record does not fit its stream's declaration (empty when it fits): unknown columns, wrong types. */
export function recordProblems(record: unknown, columns: readonly StreamColumn[]): string[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return ['not a JSON object'];
  const byName = new Map(columns.map((column) => [column.name, column.type]));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    const type = byName.get(name);
    if (!type) problems.push(`column ${name} is not declared`);
    else if (value !== null && !fits(type, value)) problems.push(`column ${name} (${type}) got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return problems;
}

function fits(type: string, value: unknown): boolean {
  switch (type.toLowerCase()) {
    case 'string': return typeof value === 'string';
    case 'int': return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31;
    case 'long': return Number.isInteger(value);
    case 'real': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'datetime': return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value));
    case 'dynamic': return true;
    default: return false;
  }
}
