/**
 * Text-level checks of infra/ (the real compiler runs in bicep.int.test.ts): app settings against SETTINGS,
 * created resource names against RESOURCE_NAMES, no keys or connection strings with secrets,
 * least-privilege roles, azd wiring (azure.yaml, main.parameters.json, module paths) and a cheap
 * syntax sanity check of every .bicep file.
 *
 * The Bicep files are read through a small scanner: comments and the insides of string literals
 * are blanked out ("masked") so braces and keys can be found structurally, and values are then
 * read back from the original text at the same offsets.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CONNECTIONS, RESOURCE_NAMES } from '../../shared/config/resourceNames.js';
import { SETTINGS } from '../../shared/config/settings.js';
import type { SettingDescriptor } from '../../shared/config/settings.js';
import { SEVERITIES } from '../../shared/domain/findings.js';

// ---------------------------------------------------------------------------------------------
// Repository files

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const ROOT = findRepoRoot();
const INFRA = join(ROOT, 'infra');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function read(path: string): string {
  return readFileSync(path, 'utf8');
}

const rel = (path: string): string => relative(ROOT, path);

// ---------------------------------------------------------------------------------------------
// Bicep scanner

interface Source {
  readonly path: string;
  /** Original text. */
  readonly text: string;
  /** Same length as text; comments and string contents (not their quotes) replaced by spaces. */
  readonly masked: string;
  /** Why the text cannot be scanned (unterminated string or comment, unbalanced brackets), if so. */
  readonly problem?: string;
}

interface Entry {
  readonly key: string;
  /** Offset of the value's first character. */
  readonly start: number;
  /** Original text of the value, without a trailing comment. */
  readonly value: string;
}

interface Declaration {
  readonly keyword: 'resource' | 'module';
  readonly symbol: string;
  /** Resource type with API version, or a module path. */
  readonly target: string;
  readonly existing: boolean;
  /** Original text between `=` and the body's `{`: a loop or condition, if any. */
  readonly header: string;
  readonly body: Map<string, Entry>;
  readonly bodyText: string;
  readonly source: Source;
}

const OPEN = '{[(';
const CLOSE = '}])';

/** Index just past the string literal that opens at `start` (a single quote). */
function skipString(text: string, start: number): number {
  if (text.startsWith("'''", start)) {
    const end = text.indexOf("'''", start + 3);
    if (end < 0) throw new Error(`unterminated multi-line string at offset ${start}`);
    return end + 3;
  }
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === "'") return i + 1;
    else if (ch === '\n') break;
    else if (ch === '$' && text[i + 1] === '{') i = skipInterpolation(text, i + 2);
    else i += 1;
  }
  throw new Error(`unterminated string at offset ${start}`);
}

/** Index just past the `}` closing an interpolation whose expression starts at `start`. */
function skipInterpolation(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") {
      i = skipString(text, i);
      continue;
    }
    if (ch === '{') depth += 1;
    else if (ch === '}') {
      if (depth === 0) return i + 1;
      depth -= 1;
    }
    i += 1;
  }
  throw new Error(`unterminated interpolation at offset ${start}`);
}

function maskBicep(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`unterminated comment at offset ${i}`);
      blank(i, end + 2);
      i = end + 2;
    } else if (text[i] === "'") {
      const end = skipString(text, i);
      const quote = text.startsWith("'''", i) ? 3 : 1;
      blank(i + quote, end - quote);
      i = end;
    } else {
      i += 1;
    }
  }
  return out.join('');
}

function loadBicep(path: string): Source {
  const text = read(path);
  try {
    const masked = maskBicep(text);
    const problem = bracketProblem(masked);
    return problem === undefined ? { path, text, masked } : { path, text, masked, problem };
  } catch (error) {
    return { path, text, masked: text, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** First bracket problem in masked text, or undefined when (), [] and {} all balance. */
function bracketProblem(masked: string): string | undefined {
  const stack: { ch: string; at: number }[] = [];
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i]!;
    if (OPEN.includes(ch)) stack.push({ ch, at: i });
    else if (CLOSE.includes(ch)) {
      const top = stack.pop();
      if (!top) return `unmatched '${ch}' at offset ${i}`;
      if (OPEN.indexOf(top.ch) !== CLOSE.indexOf(ch)) return `'${top.ch}' at offset ${top.at} closed by '${ch}' at offset ${i}`;
    }
  }
  const top = stack.pop();
  return top ? `'${top.ch}' at offset ${top.at} is never closed` : undefined;
}

function matchingBracket(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const ch = masked[i]!;
    if (OPEN.includes(ch)) depth += 1;
    else if (CLOSE.includes(ch)) {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`bracket at offset ${open} is never closed`);
}

/** End of the value that starts at `start`: a newline or comma outside brackets, or `limit`. */
function valueEnd(src: Source, start: number, limit: number): number {
  let depth = 0;
  for (let i = start; i < limit; i++) {
    const ch = src.masked[i]!;
    if (OPEN.includes(ch)) depth += 1;
    else if (CLOSE.includes(ch)) depth -= 1;
    else if (depth === 0 && (ch === '\n' || ch === ',')) return i;
  }
  return limit;
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** The entries directly inside the object literal whose `{` is at `open`. */
function objectEntries(src: Source, open: number): Map<string, Entry> {
  assert.equal(src.masked[open], '{', `${rel(src.path)}: expected '{' at offset ${open}`);
  const close = matchingBracket(src.masked, open);
  const entries = new Map<string, Entry>();
  let depth = 0;
  let atEntryStart = true;
  for (let i = open + 1; i < close; i++) {
    const ch = src.masked[i]!;
    if (depth === 0 && atEntryStart && !/\s/.test(ch)) {
      atEntryStart = false;
      const key = /^([A-Za-z_]\w*|'(?:[^'\\\n]|\\.)*')[ \t]*:/.exec(src.text.slice(i, close));
      if (key && src.masked[i] === src.text[i]) {
        const name = key[1]!.startsWith("'") ? unquote(key[1]!) : key[1]!;
        let start = i + key[0].length;
        while (src.masked[start] === ' ' || src.masked[start] === '\t') start += 1;
        let end = valueEnd(src, start, close);
        while (end > start && /\s/.test(src.masked[end - 1]!)) end -= 1; // drops a trailing comment
        entries.set(name, { key: name, start, value: src.text.slice(start, end) });
      }
    }
    if (OPEN.includes(ch)) depth += 1;
    else if (CLOSE.includes(ch)) depth -= 1;
    else if (depth === 0 && (ch === '\n' || ch === ',')) atEntryStart = true;
  }
  return entries;
}

/** Entries of an entry whose value is an object literal. */
function nested(src: Source, entry: Entry | undefined, what: string): Map<string, Entry> {
  assert.ok(entry, `${rel(src.path)}: ${what} is missing`);
  assert.equal(src.masked[entry.start], '{', `${rel(src.path)}: ${what} is not an object literal`);
  return objectEntries(src, entry.start);
}

/** The value of a plain string literal ('...' without interpolation), else undefined. */
function stringLiteral(value: string | undefined): string | undefined {
  if (value === undefined || !/^'(?:[^'\\\n]|\\.)*'$/.test(value) || value.includes('${')) return undefined;
  return unquote(value);
}

function declarations(src: Source): Declaration[] {
  const found: Declaration[] = [];
  if (src.problem !== undefined) return found; // reported by the bracket test
  for (const match of src.masked.matchAll(/\b(resource|module)\s+([A-Za-z_]\w*)\s+'/g)) {
    const quote = match.index + match[0].length - 1;
    const closeQuote = src.text.indexOf("'", quote + 1);
    const equals = src.masked.indexOf('=', closeQuote);
    const open = src.masked.indexOf('{', equals);
    found.push({
      keyword: match[1] as 'resource' | 'module',
      symbol: match[2]!,
      target: src.text.slice(quote + 1, closeQuote),
      existing: /\bexisting\b/.test(src.masked.slice(closeQuote + 1, equals)),
      header: src.text.slice(equals + 1, open).trim(),
      body: objectEntries(src, open),
      bodyText: src.text.slice(open, matchingBracket(src.masked, open) + 1),
      source: src,
    });
  }
  return found;
}

const typeOf = (declaration: Declaration): string => declaration.target.split('@')[0]!;

interface Param {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly defaultValue: string | undefined;
}

function params(src: Source): Param[] {
  return [...src.masked.matchAll(/^param\s+([A-Za-z_]\w*)\s+([A-Za-z_]\w*)(\?)?(\s*=\s*)?/gm)].map((match) => {
    const hasDefault = match[4] !== undefined;
    const start = match.index + match[0].length;
    const defaultValue = hasDefault ? src.text.slice(start, valueEnd(src, start, src.text.length)).trim() : undefined;
    return { name: match[1]!, type: match[2]!, optional: hasDefault || match[3] === '?', defaultValue };
  });
}

/** Minimal YAML reader for azure.yaml: nested maps of scalars, `#` comment lines. */
function parseSimpleYaml(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const stack: { indent: number; node: Record<string, unknown> }[] = [{ indent: -1, node: root }];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^( *)([^:#]+?):(?:\s+(.*))?$/.exec(line);
    assert.ok(match, `azure.yaml: cannot read line ${JSON.stringify(line)}`);
    const indent = match[1]!.length;
    while (stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]!.node;
    const raw = (match[3] ?? '').trim();
    if (raw === '') {
      const child: Record<string, unknown> = {};
      parent[match[2]!] = child;
      stack.push({ indent, node: child });
    } else {
      parent[match[2]!] = raw.replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// What infra/ contains

const bicepPaths = filesUnder(INFRA).filter((path) => path.endsWith('.bicep'));
const sources = bicepPaths.map(loadBicep);
const allDeclarations = sources.flatMap(declarations);
const created = allDeclarations.filter((d) => d.keyword === 'resource' && !d.existing);

function source(name: string): Source {
  const found = sources.find((src) => rel(src.path) === join('infra', name));
  assert.ok(found, `infra/${name} is missing`);
  return found;
}

function createdOfType(type: string): Declaration[] {
  return created.filter((d) => typeOf(d) === type);
}

function literalNames(declarationsOfType: Declaration[]): string[] {
  return declarationsOfType.map((d) => stringLiteral(d.body.get('name')?.value)).filter((n): n is string => n !== undefined);
}

function appSettings(): { src: Source; settings: Map<string, Entry> } {
  const candidates = created.filter((d) => stringLiteral(d.body.get('name')?.value) === 'appsettings');
  assert.equal(candidates.length, 1, 'expected exactly one sites/config resource named appsettings');
  const declaration = candidates[0]!;
  return { src: declaration.source, settings: nested(declaration.source, declaration.body.get('properties'), 'appsettings properties') };
}

const ROLE = {
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
} as const;

// ---------------------------------------------------------------------------------------------

describe('infra test scanner', () => {
  test('catches unbalanced brackets and unterminated strings, reads object keys', () => {
    assert.equal(bracketProblem(maskBicep("var a = { b: [ 'x' }")), "'[' at offset 13 closed by '}' at offset 19");
    assert.equal(bracketProblem(maskBicep("var a = { b: '}' } // }")), undefined);
    assert.equal(bracketProblem(maskBicep("var a = '${split(x, '}')[0]}'")), undefined);
    assert.throws(() => maskBicep("var a = 'open\nvar b = 1"), /unterminated string/);
    const text = "x = {\n  name: 'n' // c\n  'a-b': { c: 1 }\n  d: f(1, 2)\n}";
    const snippet: Source = { path: join(INFRA, 'snippet.bicep'), text, masked: maskBicep(text) };
    const entries = objectEntries(snippet, text.indexOf('{'));
    assert.deepEqual([...entries.keys()], ['name', 'a-b', 'd']);
    assert.equal(entries.get('name')?.value, "'n'");
    assert.equal(entries.get('d')?.value, 'f(1, 2)');
  });
});

describe('infra/', () => {
  test('has main.bicep and the modules', () => {
    assert.ok(bicepPaths.length > 1, 'no .bicep files under infra/');
    for (const name of ['main.bicep', 'modules/readerAssignment.bicep']) source(name);
  });

  test('every .bicep file balances its brackets and strings', () => {
    for (const src of sources) {
      assert.equal(src.problem, undefined, rel(src.path));
      assert.equal(bracketProblem(src.masked), undefined, rel(src.path));
    }
  });

  test('every module reference points to an existing file, and every module is used', () => {
    const referenced = new Set<string>();
    for (const declaration of allDeclarations.filter((d) => d.keyword === 'module')) {
      assert.ok(!/^br[:/]|^ts[:/]/.test(declaration.target), `${declaration.symbol}: registry modules are not used (${declaration.target})`);
      const target = resolve(dirname(declaration.source.path), declaration.target);
      assert.ok(existsSync(target), `${rel(declaration.source.path)}: module ${declaration.symbol} -> ${declaration.target} does not exist`);
      referenced.add(target);
    }
    // Templates deployed on their own (docs/deploy.md) are entry points, like main.bicep.
    const entryPoints = new Set([join(INFRA, 'main.bicep'), join(INFRA, 'managementGroupReader.bicep')]);
    for (const path of bicepPaths.filter((p) => !entryPoints.has(p))) {
      assert.ok(referenced.has(path), `${rel(path)} is not referenced by any module`);
    }
  });

  test('sets every setting marked setByInfra as an app setting', () => {
    const { settings } = appSettings();
    const descriptors: SettingDescriptor[] = Object.values(SETTINGS);
    const required = descriptors.filter((s) => s.setByInfra).map((s) => s.name);
    assert.ok(required.length > 0);
    for (const name of required) assert.ok(settings.has(name), `app setting ${name} (setByInfra) is not set`);
  });

  test('app settings are identity-based and consistent', () => {
    const { src, settings } = appSettings();
    for (const name of [
      'AzureWebJobsStorage__credential',
      'AzureWebJobsStorage__clientId',
      'AzureWebJobsStorage__blobServiceUri',
      'AzureWebJobsStorage__queueServiceUri',
      'AzureWebJobsStorage__tableServiceUri',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    ]) {
      assert.ok(settings.has(name), `app setting ${name} is not set`);
    }
    // A plain X would be read as a connection string; Flex Consumption takes the runtime from functionAppConfig.
    for (const name of [
      'AzureWebJobsStorage',
      CONNECTIONS.storage,
      CONNECTIONS.serviceBus,
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      'APPINSIGHTS_INSTRUMENTATIONKEY',
    ]) {
      assert.ok(!settings.has(name), `app setting ${name} must not be set`);
    }
    for (const prefix of ['AzureWebJobsStorage', CONNECTIONS.storage, CONNECTIONS.serviceBus]) {
      assert.equal(stringLiteral(settings.get(`${prefix}__credential`)?.value), 'managedidentity', `${prefix}__credential`);
      assert.ok(settings.has(`${prefix}__clientId`), `${prefix}__clientId is not set`);
    }
    const clientIds = [...settings.values()].filter((e) => e.key.endsWith('__clientId') || e.key === SETTINGS.azureClientId.name);
    assert.equal(new Set(clientIds.map((e) => e.value)).size, 1, 'every clientId setting names the same identity');
    const clientId = clientIds[0]!.value;
    assert.equal(settings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')?.value, `'ClientId=\${${clientId}};Authorization=AAD'`);
    for (const [suffix, service] of [['__blobServiceUri', 'blob'], ['__queueServiceUri', 'queue'], ['__tableServiceUri', 'table']] as const) {
      for (const entry of [...settings.values()].filter((e) => e.key.endsWith(suffix))) {
        assert.match(entry.value, new RegExp(service, 'i'), `${entry.key} = ${entry.value}`);
      }
    }
    assert.match(settings.get(SETTINGS.serviceBusNamespace.name)!.value, /fullyQualifiedNamespace/i);
    assert.ok(src.text.includes('environment().resourceManager'), 'ESU_ARM_ENDPOINT is derived from environment().resourceManager');
    assert.equal(SETTINGS.remediationTopic.defaultValue, RESOURCE_NAMES.remediationTopic);
  });

  test('creates every queue, table, topic and subscription named in RESOURCE_NAMES', () => {
    const byType = (type: string): string[] => literalNames(createdOfType(type)).sort();
    // Queues and tables are created (and their roles assigned) by a loop over one list each in storage.bicep.
    const storageText = source('modules/storage.bicep').text;
    const listOf = (variable: string): string[] => {
      const body = new RegExp(`^var ${variable} = \\[([^\\]]*)\\]`, 'm').exec(storageText)?.[1] ?? '';
      return [...body.matchAll(/^\s*'([^']+)'/gm)].map((match) => match[1]!).sort();
    };
    for (const [variable, type] of [['queueNames', 'queues'], ['tableNames', 'tables']] as const) {
      assert.match(storageText, new RegExp(`^resource \\w+ 'Microsoft\\.Storage/storageAccounts/\\w+Services/${type}@[\\d-]+' = \\[for \\w+ in ${variable}: \\{`, 'm'), `${type} are created from ${variable}`);
    }
    assert.deepEqual(listOf('queueNames'), [RESOURCE_NAMES.scanRequestQueue, `${RESOURCE_NAMES.scanRequestQueue}-poison`].sort());
    assert.deepEqual(
      listOf('tableNames'),
      [RESOURCE_NAMES.findingsTable, RESOURCE_NAMES.scanRunsTable, RESOURCE_NAMES.jobsTable, RESOURCE_NAMES.licenseUsageTable, RESOURCE_NAMES.suppressionsTable, RESOURCE_NAMES.subscriptionsTable, RESOURCE_NAMES.licensePlanTable, RESOURCE_NAMES.uploadLedgerTable].sort(),
    );
    assert.deepEqual(byType('Microsoft.ServiceBus/namespaces/topics'), [RESOURCE_NAMES.remediationTopic]);
    assert.deepEqual(
      byType('Microsoft.ServiceBus/namespaces/topics/subscriptions'),
      [RESOURCE_NAMES.remediationSubscriptionAll, RESOURCE_NAMES.remediationSubscriptionCritical].sort(),
    );
    const allNames = new Set([...literalNames(created), ...listOf('queueNames'), ...listOf('tableNames')]);
    for (const name of Object.values(RESOURCE_NAMES)) assert.ok(allNames.has(name), `no resource named ${name} is created`);
  });

  test('the remediation topic deduplicates, and `critical` has only a SQL filter rule', () => {
    const [topic] = createdOfType('Microsoft.ServiceBus/namespaces/topics');
    assert.ok(topic);
    const topicProperties = nested(topic.source, topic.body.get('properties'), 'topic properties');
    assert.equal(topicProperties.get('requiresDuplicateDetection')?.value, 'true');
    assert.ok(topicProperties.has('duplicateDetectionHistoryTimeWindow'));

    const subscriptions = createdOfType('Microsoft.ServiceBus/namespaces/topics/subscriptions');
    const named = (name: string): Declaration => {
      const found = subscriptions.find((d) => stringLiteral(d.body.get('name')?.value) === name);
      assert.ok(found, `subscription ${name}`);
      return found;
    };
    const all = named(RESOURCE_NAMES.remediationSubscriptionAll);
    const allProperties = nested(all.source, all.body.get('properties'), 'subscription all properties');
    // No consumer is deployed: expired messages are dropped, never kept in a dead-letter queue nobody empties.
    assert.equal(allProperties.get('deadLetteringOnMessageExpiration')?.value, 'false');
    assert.equal(allProperties.get('maxDeliveryCount')?.value, '10');

    const critical = named(RESOURCE_NAMES.remediationSubscriptionCritical);
    const rules = createdOfType('Microsoft.ServiceBus/namespaces/topics/subscriptions/rules');
    const criticalRules = rules.filter((rule) => rule.body.get('parent')?.value === critical.symbol);
    assert.equal(criticalRules.length, 1, 'critical has exactly one rule');
    const rule = criticalRules[0]!;
    assert.equal(stringLiteral(rule.body.get('name')?.value), '$Default', 'the rule replaces the catch-all $Default rule');
    const ruleProperties = nested(rule.source, rule.body.get('properties'), 'rule properties');
    assert.equal(stringLiteral(ruleProperties.get('filterType')?.value), 'SqlFilter');
    assert.ok(nested(rule.source, ruleProperties.get('sqlFilter'), 'sqlFilter').has('sqlExpression'));

    const severities = sources.flatMap((src) => [...src.text.matchAll(/severity\s*=\s*\\'(\w+)\\'/g)].map((m) => m[1]!));
    assert.ok(severities.length > 0, 'the critical filter tests severity');
    for (const severity of severities) assert.ok((SEVERITIES as readonly string[]).includes(severity), `unknown severity ${severity}`);
  });

  test('holds no keys or connection strings with secrets', () => {
    const files = [...filesUnder(INFRA), join(ROOT, 'azure.yaml')];
    const forbidden = [/listKeys\s*\(/i, /listConnectionStrings/i, /listAccountSas/i, /listServiceSas/i, /AccountKey=/i, /SharedAccessKey=/i, /InstrumentationKey=/i];
    for (const path of files) {
      const text = read(path);
      for (const pattern of forbidden) assert.doesNotMatch(text, pattern, rel(path));
      assert.doesNotMatch(text, /@secure\(\)/, `${rel(path)}: nothing secret should need a secure parameter`);
    }

    const [account] = createdOfType('Microsoft.Storage/storageAccounts');
    assert.ok(account);
    const storage = nested(account.source, account.body.get('properties'), 'storage account properties');
    assert.equal(storage.get('allowSharedKeyAccess')?.value, 'false');
    assert.equal(storage.get('allowBlobPublicAccess')?.value, 'false');
    assert.equal(storage.get('supportsHttpsTrafficOnly')?.value, 'true');
    assert.equal(stringLiteral(storage.get('minimumTlsVersion')?.value), 'TLS1_2');

    const [namespace] = createdOfType('Microsoft.ServiceBus/namespaces');
    assert.ok(namespace);
    assert.equal(nested(namespace.source, namespace.body.get('properties'), 'namespace properties').get('disableLocalAuth')?.value, 'true');
    assert.equal(stringLiteral(nested(namespace.source, namespace.body.get('sku'), 'namespace sku').get('name')?.value), 'Standard');

    const [insights] = createdOfType('Microsoft.Insights/components');
    assert.ok(insights);
    const insightsProperties = nested(insights.source, insights.body.get('properties'), 'Application Insights properties');
    const disableLocalAuth = [...insightsProperties.values()].find((e) => e.key.toLowerCase() === 'disablelocalauth');
    assert.equal(disableLocalAuth?.value, 'true', 'Application Insights DisableLocalAuth');
    assert.ok(insightsProperties.has('WorkspaceResourceId'), 'Application Insights is workspace-based');
  });

  test('grants Reader for scanning and only data-plane roles otherwise; never Contributor or Owner', () => {
    const allowed = new Set<string>([
      ROLE.reader,
      ROLE.storageBlobDataOwner,
      ROLE.storageQueueDataContributor,
      ROLE.storageTableDataContributor,
      ROLE.serviceBusDataSender,
      ROLE.serviceBusDataReceiver,
      ROLE.monitoringMetricsPublisher,
    ]);
    for (const src of sources) {
      const text = src.text.toLowerCase();
      assert.ok(!text.includes(ROLE.contributor), `${rel(src.path)} assigns Contributor`);
      assert.ok(!text.includes(ROLE.owner), `${rel(src.path)} assigns Owner`);
      for (const [guid] of text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)) {
        assert.ok(allowed.has(guid), `${rel(src.path)}: unexpected role definition ${guid}`);
      }
    }
    const storage = source('modules/storage.bicep').text;
    for (const role of [ROLE.storageBlobDataOwner, ROLE.storageQueueDataContributor, ROLE.storageTableDataContributor]) assert.ok(storage.includes(role));
    assert.ok(source('modules/monitoring.bicep').text.includes(ROLE.monitoringMetricsPublisher));

    const reader = source('modules/readerAssignment.bicep');
    assert.match(reader.masked, /^targetScope\s*=\s*'/m);
    assert.match(reader.text, /^targetScope\s*=\s*'subscription'/m);
    assert.ok(reader.text.includes(ROLE.reader), 'readerAssignment.bicep assigns Reader');

    const main = source('main.bicep');
    const readerModules = declarations(main).filter((d) => d.keyword === 'module' && d.target.endsWith('readerAssignment.bicep'));
    assert.equal(readerModules.length, 1);
    assert.match(readerModules[0]!.header, /^\[for\s+\w+\s+in\s+/, 'one Reader assignment per scanned subscription');
    assert.match(readerModules[0]!.body.get('scope')?.value ?? '', /^subscription\(\w+\)$/);
    assert.match(readerModules[0]!.header, /^\[for\s+\w+\s+in\s+readerScopes:/, 'one Reader assignment per listed subscription');
    for (const name of ['readerSubscriptionIds', 'esuSubscriptionIds']) {
      const list = params(main).find((p) => p.name === name);
      assert.ok(list, `param ${name}`);
      assert.equal(list.type, 'string', `${name} is a comma-separated string, so an empty azd variable stays valid`);
      assert.equal(list.defaultValue, "''");
    }
    assert.match(main.text, /^var listedReaderScopes = union\(subscriptionIdList\(esuSubscriptionIds\), subscriptionIdList\(readerSubscriptionIds\)\)$/m);
    assert.match(reader.text, /name: guid\(subscription\(\)\.id, principalId, readerRoleDefinitionId\)/, 'deterministic assignment name');
  });

  test('Service Bus: the app may only send to the topic; the developer gets Receiver', () => {
    const sb = source('modules/serviceBus.bicep');
    const local = declarations(sb);
    const topic = local.find((d) => typeOf(d) === 'Microsoft.ServiceBus/namespaces/topics');
    const namespace = local.find((d) => typeOf(d) === 'Microsoft.ServiceBus/namespaces');
    assert.ok(topic && namespace);
    const assignmentFor = (role: string): Declaration => {
      const variable = new RegExp(`var\\s+(\\w+)\\s*=\\s*'${role}'`).exec(sb.text)?.[1];
      const found = local.find(
        (d) => typeOf(d) === 'Microsoft.Authorization/roleAssignments' && (d.bodyText.includes(role) || (variable !== undefined && d.bodyText.includes(variable))),
      );
      assert.ok(found, `role assignment of ${role}`);
      return found;
    };
    const principalOf = (d: Declaration): string | undefined => nested(sb, d.body.get('properties'), `${d.symbol} properties`).get('principalId')?.value;
    const sender = assignmentFor(ROLE.serviceBusDataSender);
    const receiver = assignmentFor(ROLE.serviceBusDataReceiver);
    assert.equal(sender.body.get('scope')?.value, topic.symbol, 'Data Sender is scoped to the topic');
    assert.equal(receiver.body.get('scope')?.value, namespace.symbol, 'Data Receiver is scoped to the namespace');
    assert.notEqual(principalOf(receiver), principalOf(sender), 'Data Receiver goes to the developer, not the app');
    assert.match(receiver.header, /^if\s*\(/, 'Data Receiver is only assigned when a principal is given');
  });

  test('the function app runs on Flex Consumption as the user-assigned identity', () => {
    const [plan] = createdOfType('Microsoft.Web/serverfarms');
    assert.ok(plan);
    const sku = nested(plan.source, plan.body.get('sku'), 'plan sku');
    assert.equal(stringLiteral(sku.get('name')?.value), 'FC1');
    assert.equal(stringLiteral(sku.get('tier')?.value), 'FlexConsumption');
    assert.equal(nested(plan.source, plan.body.get('properties'), 'plan properties').get('reserved')?.value, 'true');

    const [site] = createdOfType('Microsoft.Web/sites');
    assert.ok(site);
    const src = site.source;
    assert.equal(stringLiteral(site.body.get('kind')?.value), 'functionapp,linux');
    assert.match(site.body.get('tags')?.value ?? '', /'azd-service-name'\s*:\s*'api'/);
    assert.equal(stringLiteral(nested(src, site.body.get('identity'), 'identity').get('type')?.value), 'UserAssigned');
    const properties = nested(src, site.body.get('properties'), 'site properties');
    assert.equal(properties.get('httpsOnly')?.value, 'true');
    const config = nested(src, properties.get('functionAppConfig'), 'functionAppConfig');
    const storage = nested(src, nested(src, config.get('deployment'), 'deployment').get('storage'), 'deployment storage');
    assert.equal(stringLiteral(storage.get('type')?.value), 'blobContainer');
    assert.equal(stringLiteral(nested(src, storage.get('authentication'), 'authentication').get('type')?.value), 'UserAssignedIdentity');
    const runtime = nested(src, config.get('runtime'), 'runtime');
    assert.equal(stringLiteral(runtime.get('name')?.value), 'node');
    assert.equal(stringLiteral(runtime.get('version')?.value), '22');
    const scale = nested(src, config.get('scaleAndConcurrency'), 'scaleAndConcurrency');
    assert.ok(scale.has('maximumInstanceCount') && scale.has('instanceMemoryMB'));

    const main = params(source('main.bicep'));
    assert.equal(main.find((p) => p.name === 'maximumInstanceCount')?.defaultValue, '40');
    assert.equal(main.find((p) => p.name === 'instanceMemoryMB')?.defaultValue, '2048');
    assert.equal(stringLiteral(main.find((p) => p.name === 'esuScanSchedule')?.defaultValue), SETTINGS.scanSchedule.defaultValue);
    assert.equal(stringLiteral(main.find((p) => p.name === 'esuSubscriptionIds')?.defaultValue), SETTINGS.subscriptionIds.defaultValue);
  });

  test('main.bicep follows azd conventions', () => {
    const main = source('main.bicep');
    assert.match(main.text, /^targetScope\s*=\s*'subscription'/m);
    const [group] = declarations(main).filter((d) => typeOf(d) === 'Microsoft.Resources/resourceGroups');
    assert.ok(group);
    assert.equal(group.body.get('name')?.value, "'rg-${environmentName}'");
    assert.match(main.text, /uniqueString\(subscription\(\)\.id,\s*environmentName,\s*location\)/);
    assert.match(main.text, /^var deployerPrincipalId = grantDeployerDataRoles \? principalId : ''$/m);
    const userPrincipals = declarations(main).map((d) => d.body.get('params')).filter((e): e is Entry => e !== undefined)
      .map((e) => objectEntries(main, e.start).get('userPrincipalId')?.value).filter((v) => v !== undefined);
    assert.deepEqual(userPrincipals, ['deployerPrincipalId', 'deployerPrincipalId'], 'the deployer gets data roles only through grantDeployerDataRoles');
    const outputs = new Set([...main.masked.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!));
    for (const name of [
      'AZURE_LOCATION',
      'AZURE_TENANT_ID',
      'AZURE_FUNCTION_NAME',
      'AZURE_RESOURCE_GROUP',
      'ESU_STORAGE_ACCOUNT_NAME',
      'ESU_SERVICEBUS_NAMESPACE',
      'ESU_FINDINGS_TABLE_URI',
    ]) {
      assert.ok(outputs.has(name), `output ${name}`);
    }
  });

  test('main.parameters.json parses and feeds every required parameter of main.bicep', () => {
    const file = JSON.parse(read(join(INFRA, 'main.parameters.json'))) as { parameters?: Record<string, { value?: unknown }> };
    assert.ok(file.parameters, 'parameters object');
    const declared = params(source('main.bicep'));
    const declaredNames = new Set(declared.map((p) => p.name));
    for (const param of declared.filter((p) => !p.optional)) {
      assert.ok(param.name in file.parameters, `required parameter ${param.name} is not in main.parameters.json`);
    }
    for (const [name, entry] of Object.entries(file.parameters)) {
      assert.ok(declaredNames.has(name), `main.parameters.json sets ${name}, which main.bicep does not declare`);
      assert.ok(entry.value !== undefined, `${name} has no value`);
      if (typeof entry.value === 'string' && entry.value.includes('${')) {
        assert.match(entry.value, /^\$\{[A-Z_][A-Z0-9_]*(=[^}]*)?\}$/, `${name}: azd substitution`);
      }
    }
    assert.equal(file.parameters.environmentName?.value, '${AZURE_ENV_NAME}');
    assert.equal(file.parameters.location?.value, '${AZURE_LOCATION}');
    assert.equal(file.parameters.principalId?.value, '${AZURE_PRINCIPAL_ID}');
    assert.equal(file.parameters.esuSubscriptionIds?.value, `\${${SETTINGS.subscriptionIds.name}}`);
    assert.equal(file.parameters.readerSubscriptionIds?.value, '${ESU_READER_SUBSCRIPTION_IDS}', 'azd passes the Reader list');
    assert.equal(file.parameters.grantDeployerDataRoles?.value, '${ESU_GRANT_DEPLOYER_DATA_ROLES=false}', 'deployer data roles are opt-in');
  });

  test('azure.yaml names the one service api: TypeScript on Azure Functions', () => {
    const yaml = parseSimpleYaml(read(join(ROOT, 'azure.yaml')));
    const services = yaml.services as Record<string, Record<string, unknown>> | undefined;
    assert.ok(services, 'services');
    assert.deepEqual(Object.keys(services), ['api']);
    assert.equal(services.api?.host, 'function');
    assert.equal(services.api?.language, 'ts');
    assert.equal(services.api?.project, '.');
    assert.equal(services.api?.remoteBuild, 'false', 'node_modules ships in the package; no remote build');
    assert.equal(services.api?.dist, 'deploy-package');
    const hooks = services.api?.hooks as Record<string, Record<string, unknown>> | undefined;
    assert.equal(hooks?.prepackage?.run, 'npm run package');
    assert.equal((yaml.requiredVersions as Record<string, unknown> | undefined)?.azd, '>= 1.23.12', 'older azd builds remotely on Flex');
  });
});
