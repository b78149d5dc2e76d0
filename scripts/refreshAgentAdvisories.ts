/**
 * Rebuilds shared/programs/agentAdvisories.ts from CVE records of the Azure Connected Machine agent.
 *
 *   npm run advisories -- <file or folder>... [--out <module>] [--check]
 *
 * Inputs (JSON, folders read recursively): CVE JSON 5 records from the CVE List (CVEProject/cvelistV5), NVD API 2.0
 * answers (`https://services.nvd.nist.gov/rest/json/cves/2.0?virtualMatchString=<cpe>` for each of the two products
 * in AGENT_CPE_PRODUCTS), or the captured record set sources/cve/connected-machine-agent.json (the default input).
 * `--check` writes nothing and exits 1 when the module differs from what the inputs give (a stale catalogue).
 * Any malformed record stops the refresh (exit 1) with what is wrong; the module is then left as it was.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../cli/projectPaths.js';
import { advisoriesFromRecords, renderAdvisoryModule } from '../shared/programs/advisoryRecords.js';

export const ADVISORY_MODULE = join('shared', 'programs', 'agentAdvisories.ts');
export const CAPTURED_RECORDS = join('sources', 'cve', 'connected-machine-agent.json');

function jsonFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true }).map(String).filter((file) => file.endsWith('.json')).sort().map((file) => join(path, file));
}

/** A path as the module's header and the problems name it: inside the checkout relative to it (with /), else as given. */
function shown(path: string, root: string): string {
  const inside = relative(root, resolve(path));
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside.split('\\').join('/');
}

export interface RefreshResult {
  readonly module?: string;
  readonly problems: readonly string[];
  readonly count: number;
}

/** Reads the inputs and renders the module; problems instead of a module when any record is malformed. */
export function refreshAdvisories(inputs: readonly string[], root = projectRoot()): RefreshResult {
  const problems: string[] = [];
  const documents = inputs.flatMap((input) => {
    if (!existsSync(input)) {
      problems.push(`${input}: no such file or folder`);
      return [];
    }
    return jsonFiles(input).flatMap((file) => {
      try {
        return [{ name: shown(file, root), document: JSON.parse(readFileSync(file, 'utf8')) as unknown }];
      } catch (error) {
        problems.push(`${file}: ${(error as Error).message}`);
        return [];
      }
    });
  });
  const reading = advisoriesFromRecords(documents);
  problems.push(...reading.problems);
  if (reading.advisories.length === 0) problems.push('no advisory of the Connected Machine agent in the inputs');
  if (problems.length > 0) return { problems, count: 0 };
  return { module: renderAdvisoryModule(reading.advisories, inputs.map((input) => shown(input, root))), problems, count: reading.advisories.length };
}

function main(argv: readonly string[]): number {
  const root = projectRoot();
  const outFlag = argv.indexOf('--out');
  const out = outFlag >= 0 && argv[outFlag + 1] ? resolve(argv[outFlag + 1]!) : join(root, ADVISORY_MODULE);
  const check = argv.includes('--check');
  const inputs = argv.filter((arg, index) => !arg.startsWith('--') && argv[index - 1] !== '--out');
  const result = refreshAdvisories(inputs.length > 0 ? inputs.map((input) => resolve(input)) : [join(root, CAPTURED_RECORDS)], root);
  if (!result.module) {
    for (const problem of result.problems) console.error(`error: ${problem}`);
    console.error(`${relative(root, out)} left unchanged`);
    return 1;
  }
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (check) {
    if (current === result.module) return 0;
    console.error(`${relative(root, out)} is not what the inputs give: run npm run advisories`);
    return 1;
  }
  writeFileSync(out, result.module);
  console.log(`${relative(root, out)}: ${result.count} advisories${current === result.module ? ' (unchanged)' : ''}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
