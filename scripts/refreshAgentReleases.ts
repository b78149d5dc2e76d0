/**
 * Rebuilds shared/programs/agentReleases.ts (agent version → release month) from the Connected Machine agent
 * release notes and their archive.
 *
 *   npm run releases -- [<release notes .md>...] [--check]
 *
 * Default inputs: the captured Microsoft Learn pages in sources/microsoft-learn/azure-arc-servers/ (refresh those from
 * MicrosoftDocs/azure-management-docs, articles/azure-arc/servers/agent-release-notes*.md, first). `--check` writes
 * nothing and exits 1 when the module differs from what the notes give.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../cli/projectPaths.js';
import { releasesFromNotes, renderReleaseModule } from '../shared/programs/releaseNotes.js';

export const RELEASE_MODULE = join('shared', 'programs', 'agentReleases.ts');
export const RELEASE_NOTES = [
  join('sources', 'microsoft-learn', 'azure-arc-servers', 'agent-release-notes.md'),
  join('sources', 'microsoft-learn', 'azure-arc-servers', 'agent-release-notes-archive.md'),
];

function shown(path: string, root: string): string {
  const inside = relative(root, resolve(path));
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside.split('\\').join('/');
}

/** The module the notes give, or the problems that stop the refresh. */
export function refreshReleases(inputs: readonly string[], root = projectRoot()): { module?: string; problems: string[]; count: number } {
  const missing = inputs.filter((input) => !existsSync(input));
  if (missing.length > 0) return { problems: missing.map((input) => `${input}: no such file`), count: 0 };
  const { releases, problems } = releasesFromNotes(inputs.map((input) => readFileSync(input, 'utf8')));
  if (releases.length === 0) problems.push('no "## Version X.Y - Month YYYY" heading in the inputs');
  if (problems.length > 0) return { problems, count: 0 };
  return { module: renderReleaseModule(releases, inputs.map((input) => shown(input, root))), problems, count: releases.length };
}

function main(argv: readonly string[]): number {
  const root = projectRoot();
  const out = join(root, RELEASE_MODULE);
  const inputs = argv.filter((arg) => !arg.startsWith('--'));
  const result = refreshReleases(inputs.length > 0 ? inputs.map((input) => resolve(input)) : RELEASE_NOTES.map((path) => join(root, path)), root);
  if (!result.module) {
    for (const problem of result.problems) console.error(`error: ${problem}`);
    console.error(`${RELEASE_MODULE} left unchanged`);
    return 1;
  }
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (argv.includes('--check')) {
    if (current === result.module) return 0;
    console.error(`${RELEASE_MODULE} is not what the release notes give: run npm run releases`);
    return 1;
  }
  writeFileSync(out, result.module);
  console.log(`${RELEASE_MODULE}: ${result.count} releases${current === result.module ? ' (unchanged)' : ''}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
