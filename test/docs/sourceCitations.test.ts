/**
 * Rule pages and the catalogues cite Microsoft's text, never invent it: each cited captured file and heading exists,
 * no page quotes more than a short phrase, a quote next to a citation is in the cited page. The self-checks feed the
 * checker broken pages (test/fixtures/citations) and prove each check can fail.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../cli/projectPaths.js';
import { ESU_PROGRAM_CATALOGUE } from '../../shared/programs/catalogue.js';
import { AGENT_ADVISORIES } from '../../shared/programs/agentAdvisories.js';
import { allRules } from '../../shared/rules/catalog.js';
import { documentationPages } from '../support/docPages.js';
import { anchorsOf, citationProblems, headingSlug } from '../support/sourceCitations.js';

const root = projectRoot();
const SOURCES = join(root, 'sources');
const RULE_PAGES = join(root, 'docs', 'rules');
const FIXTURES = join(root, 'test', 'fixtures', 'citations');

describe('source citations', () => {
  it('the captured sources are in the repository (sources/, a copy of ../shared/sources)', () => {
    for (const file of ['README.md', 'microsoft-learn/LICENSE', 'cve/connected-machine-agent.json', 'microsoft-learn/azure-arc-servers/troubleshoot-extended-security-updates.md']) {
      assert.ok(existsSync(join(SOURCES, file)), `sources/${file} is missing: copy ../shared/sources into sources/ (see sources/README.md)`);
    }
  });

  for (const file of readdirSync(RULE_PAGES).filter((name) => name.endsWith('.md') && name !== 'README.md').sort()) {
    it(`docs/rules/${file} cites existing files and headings and quotes no more than a short phrase`, () => {
      assert.deepEqual(citationProblems(readFileSync(join(RULE_PAGES, file), 'utf8'), SOURCES), []);
    });
  }

  it('README.md, CONTRIBUTING.md, samples/README.md and the docs pages cite existing files and headings', () => {
    for (const file of documentationPages(root).filter((page) => !page.startsWith(join('docs', 'rules')))) {
      const problems = citationProblems(readFileSync(join(root, file), 'utf8'), SOURCES).filter((problem) => !problem.startsWith('quotes '));
      assert.deepEqual(problems, [], file);
    }
  });

  it('every catalogue source of a captured page names its file and a heading that exists', () => {
    for (const program of ESU_PROGRAM_CATALOGUE) {
      for (const source of program.sources) {
        const captured = /learn\.microsoft\.com\/azure\/azure-arc\/servers\/([\w-]+)/.exec(source.url)?.[1];
        if (captured) {
          assert.equal(source.file, `microsoft-learn/azure-arc-servers/${captured}.md`, `${program.id}: ${source.title} names the captured file`);
        }
        if (source.file === undefined) continue;
        const anchors = anchorsOf(SOURCES, source.file);
        assert.ok(anchors, `${program.id}: sources/${source.file} exists`);
        assert.ok(source.heading && anchors.has(headingSlug(source.heading)), `${program.id}: sources/${source.file} has the heading "${source.heading}"`);
      }
      assert.doesNotMatch(program.sources.map((source) => source.title).join(' '), /\bseeds? ?0/i);
    }
  });

  it('every advisory links its CVE record, and every rule link avoids moved pages', () => {
    for (const advisory of AGENT_ADVISORIES) assert.match(advisory.url, new RegExp(`^https://(msrc\\.microsoft\\.com/update-guide/vulnerability|www\\.cve\\.org/CVERecord\\?id=)/?${advisory.id}$`));
    for (const rule of allRules()) for (const link of rule.links) assert.doesNotMatch(link.url, /azure-stack\/hci/, `${rule.id}: ${link.url}`);
  });
});

describe('source citation checks (self-checks)', () => {
  const fixture = (name: string) => citationProblems(readFileSync(join(FIXTURES, name), 'utf8'), SOURCES);

  it('a page citing honestly has no problems', () => {
    assert.deepEqual(fixture('good.md'), []);
  });

  it('a heading that the cited file does not have is reported', () => {
    assert.deepEqual(fixture('missing-heading.md'), [
      '../../sources/microsoft-learn/azure-arc-servers/troubleshoot-extended-security-updates.md#esu-patch-colour: microsoft-learn/azure-arc-servers/troubleshoot-extended-security-updates.md has no heading "esu-patch-colour"',
      'https://learn.microsoft.com/azure/azure-arc/servers/billing-extended-security-updates#esu-period-ends: microsoft-learn/azure-arc-servers/billing-extended-security-updates.md has no heading "esu-period-ends"',
    ]);
  });

  it('a missing file, a citation without a heading and a moved page are reported', () => {
    assert.deepEqual(fixture('missing-file.md'), [
      '../../sources/microsoft-learn/azure-arc-servers/no-such-page.md#anything: no captured source microsoft-learn/azure-arc-servers/no-such-page.md',
      '../../sources/microsoft-learn/azure-arc-servers/billing-extended-security-updates.md: names no heading of microsoft-learn/azure-arc-servers/billing-extended-security-updates.md',
      'https://learn.microsoft.com/azure-stack/hci/deploy/azure-verification: Azure Stack HCI pages moved to azure/azure-local',
    ]);
  });

  it('a long quotation, and a quote the cited page never contained, are reported', () => {
    const problems = fixture('invented-quote.md');
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] ?? '', /^quotes 17 words \(more than 12\)/);
    assert.match(problems[1] ?? '', /is not in microsoft-learn\/azure-arc-servers\/billing-extended-security-updates\.md/);
    assert.match(problems[2] ?? '', /^"ESU period ends on October 13" is not in/);
  });
});
