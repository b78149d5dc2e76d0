/**
 * The Kusto language service (@kusto/language-service-next, Microsoft's parser and semantic analyser as used
 * by the Azure portal's query editors) in Node: parse and analyse a query against given table schemas.
 */
import { createRequire } from 'node:module';

export interface KustoTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

interface Diagnostic { readonly Severity: string; readonly Code: string; readonly Message: string; readonly Start: number }
interface DiagnosticList { readonly Count: number; getItem(index: number): Diagnostic }
interface KustoLanguage {
  readonly GlobalState: { readonly Default: { WithDatabase(database: unknown): unknown } };
  readonly KustoCode: { ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): DiagnosticList } };
  readonly Symbols: {
    readonly TableSymbol: { readonly $ctor7: new (name: string, schema: string, description: string | null) => unknown };
    readonly DatabaseSymbol: { readonly $ctor1: new (name: string, members: unknown[]) => unknown };
  };
}

let language: KustoLanguage | undefined;

function kusto(): KustoLanguage {
  if (!language) {
    const require = createRequire(import.meta.url);
    // The Bridge.NET runtime first, then the language library; both register on globalThis.
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    language = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;
  }
  return language;
}

/** Errors (and warnings) the language service reports for the query against a database of these tables. */
export function kqlDiagnostics(query: string, tables: readonly KustoTable[]): string[] {
  const k = kusto();
  const symbols = tables.map((table) => new k.Symbols.TableSymbol.$ctor7(table.name, `(${table.columns.map((c) => `['${c.name}']:${c.type}`).join(', ')})`, null));
  const globals = k.GlobalState.Default.WithDatabase(new k.Symbols.DatabaseSymbol.$ctor1('workspace', symbols));
  const diagnostics = k.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
  const out: string[] = [];
  for (let i = 0; i < diagnostics.Count; i += 1) {
    const d = diagnostics.getItem(i);
    out.push(`${d.Severity} ${d.Code} at ${d.Start}: ${d.Message}`);
  }
  return out;
}
