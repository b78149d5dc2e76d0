/**
 * The pages a newcomer reads hold together: README.md, CONTRIBUTING.md, samples/README.md and every page under docs/
 * link only to files and headings that exist, every `esu-scan` command or synopsis they show parses against the CLI's
 * real definition, every app setting is documented, and the README stays a front page (≤ 12 KB) with pages small
 * enough to read in one sitting. The self-checks feed the checkers broken text and prove each check can fail.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildProgram } from '../../cli/main.js';
import { SETTINGS } from '../../shared/config/settings.js';
import { documentationPages, esuScanMentions, esuScanProblems, linkProblems, pageAnchors } from '../support/docPages.js';
import { repoRoot } from '../support/repoRoot.js';

const ROOT = repoRoot();
const PAGES = documentationPages(ROOT);
const read = (page: string) => readFileSync(join(ROOT, page), 'utf8');
const MAX_LINES = 400;
const README_MAX_BYTES = 12 * 1024;

describe('documentation pages', () => {
  it('finds the pages (README, CONTRIBUTING, docs/ and its decision records)', () => {
    for (const page of ['README.md', 'CONTRIBUTING.md', join('docs', 'cli.md'), join('docs', 'decisions', '0001-raw-table-batch.md')]) assert.ok(PAGES.includes(page), page);
  });

  for (const page of PAGES) {
    it(`${page}: relative links and anchors resolve`, () => {
      assert.deepEqual(linkProblems(ROOT, page, read(page)), []);
    });

    it(`${page}: every esu-scan command names commands and options the CLI defines`, () => {
      const program = buildProgram();
      assert.deepEqual(esuScanMentions(read(page)).flatMap((mention) => esuScanProblems(program, mention)), []);
    });
  }

  it(`README.md is at most ${README_MAX_BYTES} bytes and links the docs pages`, () => {
    assert.ok(statSync(join(ROOT, 'README.md')).size <= README_MAX_BYTES, `README.md is ${statSync(join(ROOT, 'README.md')).size} bytes`);
    const readme = read('README.md');
    for (const page of ['CONTRIBUTING.md', 'docs/cli.md', 'docs/deploy.md', 'docs/run-locally.md', 'docs/configuration.md', 'docs/alerts.md', 'docs/tables.md', 'docs/scale.md', 'docs/estate-format.md', 'docs/adding-a-rule.md', 'docs/decisions/README.md']) {
      assert.ok(readme.includes(`](${page})`), `README links ${page}`);
    }
    assert.match(readme, /^npm ci && npm start\b/m, 'the README shows the scan of the sample estate');
    assert.match(readme, /^npm ci && npm test\b/m, 'the README shows the test command .ci/run runs');
  });

  it(`pages are at most ${MAX_LINES} lines (generated ones too); decision records at most 40`, () => {
    const long = PAGES.map((page) => ({ page, lines: read(page).split('\n').length }));
    assert.deepEqual(long.filter(({ page, lines }) => lines > (page.startsWith(join('docs', 'decisions')) ? 41 : MAX_LINES)), []);
  });

  it('docs/configuration.md documents every setting the code reads, with its default', () => {
    const text = read(join('docs', 'configuration.md'));
    for (const setting of Object.values(SETTINGS)) {
      const row = text.split('\n').find((line) => line.startsWith(`| \`${setting.name}\` |`));
      assert.ok(row, `${setting.name} has a row`);
      if ('defaultValue' in setting && setting.defaultValue !== '') assert.ok(row.includes(`\`${setting.defaultValue}\``), `${setting.name}: default ${setting.defaultValue}`);
    }
  });

  it('local.settings.json.example names only settings the code or the Functions host reads', () => {
    const example = JSON.parse(read('local.settings.json.example')) as { IsEncrypted: boolean; Values: Record<string, string> };
    assert.equal(example.IsEncrypted, false);
    assert.equal(example.Values['FUNCTIONS_WORKER_RUNTIME'], 'node');
    assert.equal(example.Values['AzureWebJobsStorage'], 'UseDevelopmentStorage=true');
    assert.equal(example.Values[SETTINGS.storageConnectionString.name], 'UseDevelopmentStorage=true');
    // The timer's schedule is a binding expression (%ESU_SCAN_SCHEDULE%): the host needs the setting itself.
    assert.equal(example.Values[SETTINGS.scanSchedule.name], SETTINGS.scanSchedule.defaultValue);
    const known = new Set<string>([...Object.values(SETTINGS).map((setting) => setting.name), 'FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage']);
    assert.deepEqual(Object.keys(example.Values).filter((name) => !known.has(name)), []);
    const identity = Object.keys(example.Values).filter((name) => /__(credential|clientId|tableServiceUri|queueServiceUri|fullyQualifiedNamespace)$|^AZURE_CLIENT_ID$/.test(name));
    assert.deepEqual(identity, [], 'local settings carry no managed-identity settings');
  });
});

describe('documentation checks (self-checks)', () => {
  const page = join('docs', 'example.md');

  it('a missing file, a missing anchor and a link out of the repository are reported', () => {
    const text = '# Title\n\n## A section\n\n[ok](#a-section) [gone](#no-such) [file](cli.md#exit-codes) [none](nothing.md) [out](../../x.md)\n\n```bash\n[not a link](missing.md)\n```\n';
    const problems = linkProblems(ROOT, page, text);
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] ?? '', /#no-such names no heading/);
    assert.match(problems[1] ?? '', /nothing\.md does not exist/);
    assert.match(problems[2] ?? '', /leaves the repository/);
  });

  it('anchors follow GitHub: punctuation dropped, repeats numbered, code marks dropped', () => {
    assert.deepEqual([...pageAnchors('# The CLI\n## Exit codes\n## Exit codes\n### `--as-of`: a preview\n```\n# not a heading\n```\n')], ['the-cli', 'exit-codes', 'exit-codes-1', '--as-of-a-preview']);
  });

  it('an unknown command, an unknown option and a refused argument are reported; a synopsis is checked by its options', () => {
    const program = buildProgram();
    const mentions = esuScanMentions('`esu-scan scan [--estate DIR] [--bogus N]`\n\n```bash\nnpx esu-scan scna --estate samples/estate\nnpx esu-scan findings --result Failed --colour\nnpx esu-scan suppress add --rule X --nope 1\nnpx esu-scan findings --result Failed\n```\n');
    const problems = mentions.flatMap((mention) => esuScanProblems(program, mention));
    assert.deepEqual(problems.map((problem) => problem.replace(/^.*: /, '')), ['esu-scan has no command scna', 'findings has no option --colour', 'add has no option --nope', 'scan has no option --bogus']);
    assert.deepEqual(esuScanProblems(program, 'esu-scan findings --result'), [], 'prose naming an option alone');
    assert.equal(esuScanProblems(program, 'esu-scan findings --result Failed --format').length, 0);
    assert.match(esuScanProblems(program, 'esu-scan findings --result Failed extra').join(''), /findings takes 0 argument\(s\), not extra/);
  });
});
