/**
 * Every KQL query in infra/ (the workbook's and the alert rules') parses and resolves with zero errors in the
 * Kusto language service, against the tables as the compiled template declares them (plus the Azure tables a
 * query reads). A renamed column fails: shown with a schema that lacks one and a query that misspells one.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/repoRoot.js';
import { kqlDiagnostics, type KustoTable } from '../support/kusto.js';
import { AZURE_TABLES } from './azureTables.js';
import { compiledMain, compiledSchema, skipWithoutBicep } from './compiledTelemetry.js';

const MONITORING = join(repoRoot(), 'infra', 'monitoring');

interface WorkbookItem { type: number; name: string; content: { query?: string; items?: WorkbookItem[] } }

function workbookQueries(): { name: string; query: string }[] {
  const workbook = JSON.parse(readFileSync(join(MONITORING, 'esu-workbook.json'), 'utf8')) as { items: WorkbookItem[] };
  const walk = (items: WorkbookItem[]): { name: string; query: string }[] =>
    items.flatMap((item) => [...(item.content.query ? [{ name: `workbook ${item.name}`, query: item.content.query }] : []), ...walk(item.content.items ?? [])]);
  return walk(workbook.items);
}

function alertQueries(): { name: string; query: string }[] {
  return readdirSync(join(MONITORING, 'alerts')).filter((file) => file.endsWith('.kql')).map((file) => ({ name: `alert ${file}`, query: readFileSync(join(MONITORING, 'alerts', file), 'utf8') }));
}

function tablesFromTemplate(): KustoTable[] {
  return [...compiledSchema().tables].map(([name, columns]) => ({ name, columns }));
}

const errorsOf = (query: string, tables: readonly KustoTable[]): string[] => kqlDiagnostics(query, tables).filter((d) => d.startsWith('Error'));

describe('KQL in infra/ against the compiled tables (Kusto language service)', { skip: skipWithoutBicep }, () => {
  it('finds the workbook\'s and the alert rules\' queries, and the alert template carries exactly the alert files', () => {
    assert.ok(workbookQueries().length >= 8, 'workbook queries');
    assert.deepEqual(alertQueries().map((q) => q.name).sort(), ['alert newHighFindings.kql', 'alert poisonQueue.kql', 'alert scanOverdue.kql']);
    // loadTextContent inlines each file as a variable of the alerts module: nothing else is queried there.
    const text = JSON.stringify(compiledMain());
    for (const { query } of alertQueries()) assert.ok(text.includes(JSON.stringify(query).slice(1, -1)), 'alert query inlined by the compiled template');
  });

  for (const source of [...workbookQueries(), ...alertQueries()]) {
    it(`${source.name}: zero errors`, () => {
      const diagnostics = kqlDiagnostics(source.query, [...tablesFromTemplate(), ...AZURE_TABLES]);
      assert.deepEqual(diagnostics.filter((d) => d.startsWith('Error')), [], source.query);
    });
  }

  it('a column renamed in the schema fails the queries that read it', () => {
    const broken = tablesFromTemplate().map((table) => (table.name === 'EsuRuleCounts_CL'
      ? { ...table, columns: table.columns.map((c) => (c.name === 'Findings' ? { ...c, name: 'FindingCount' } : c)) }
      : table));
    const failing = workbookQueries().filter((q) => errorsOf(q.query, [...broken, ...AZURE_TABLES]).length > 0).map((q) => q.name);
    assert.ok(failing.length >= 3, `queries reading EsuRuleCounts_CL.Findings fail: ${failing.join(', ')}`);
    const overdue = alertQueries().find((q) => q.name.includes('scanOverdue'))!;
    const heartbeatWithoutEvent = tablesFromTemplate().map((t) => (t.name === 'EsuScanHeartbeat_CL' ? { ...t, columns: t.columns.filter((c) => c.name !== 'Event') } : t));
    assert.match(errorsOf(overdue.query, heartbeatWithoutEvent).join('\n'), /Event/);
  });

  it('a misspelt column, a missing table and a syntax error each report an error', () => {
    const tables = [...tablesFromTemplate(), ...AZURE_TABLES];
    assert.match(errorsOf('EsuScanHeartbeat_CL | where Evnt == "finished"', tables).join('\n'), /Evnt/);
    assert.match(errorsOf('EsuScanHeartbeats_CL | take 1', tables).join('\n'), /EsuScanHeartbeats_CL/);
    assert.notDeepEqual(errorsOf('EsuScanHeartbeat_CL | where', tables), []);
  });
});
