/**
 * Every rule in the catalogue has a page in docs/rules/ that matches it, the index there is the
 * generator's current output, and no page describes a rule that does not exist.
 *
 * The page checks are pure functions returning a list of problems, so the "self-checks" at the end
 * can feed them broken pages and prove that each check can fail.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { projectRoot } from '../../cli/projectPaths.js';
import { RULE_DOCS_FOLDER, renderRuleIndex, rulePageName } from '../../scripts/generateRuleIndex.js';
import { allRules, type AnyRule } from '../../shared/rules/catalog.js';
import { checkedWithOf, type BuiltCommand } from '../../shared/remediation/tools.js';
import { placeholder } from '../support/placeholders.js';

const DOCS = join(projectRoot(), RULE_DOCS_FOLDER);
const INDEX = 'README.md';
const SECTIONS = ['Synopsis', 'Description', 'Recommendation', 'How to fix', 'Links'] as const;
const FENCE_FOR_SHELL = { az: 'bash', bash: 'bash', powershell: 'powershell' } as const;

// ---------------------------------------------------------------------------------------------
// Reading a page

/** `key: value` lines between the leading `---` lines; undefined when the page has no front matter. */
function frontMatter(text: string): Record<string, string> | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!match?.[1]) return undefined;
  const fields: Record<string, string> = {};
  for (const line of match[1].split(/\r?\n/)) {
    const field = /^([A-Za-z][\w-]*):\s*(.*?)\s*$/.exec(line);
    if (field?.[1] !== undefined && field[2] !== undefined) fields[field[1]] = field[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return fields;
}

/** The page body split at `## ` headings (ignoring fenced code), heading → section text. */
function sections(text: string): { readonly heading: string; readonly body: string }[] {
  const result: { heading: string; body: string }[] = [];
  let inFence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? undefined : /^## (.+?)\s*$/.exec(line)?.[1];
    if (heading !== undefined) result.push({ heading, body: '' });
    else if (result.length > 0) result[result.length - 1]!.body += `${line}\n`;
  }
  return result;
}

/** Fenced blocks of one language in some text. */
function fencedBlocks(text: string, language: string): string[] {
  const pattern = new RegExp('^```' + language + '[ \\t]*\\r?\\n([\\s\\S]*?)^```', 'gm');
  return [...text.matchAll(pattern)].map((match) => match[1] ?? '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A whole messageId: `AgentVersion.Passed` does not count as mentioned inside `AgentVersion.PassedWithWarning.Unknown`. */
function mentions(text: string, messageId: string): boolean {
  return new RegExp(`(?<![\\w.])${escapeRegExp(messageId)}(?!\\w|\\.\\w)`).test(text);
}

// ---------------------------------------------------------------------------------------------
// What a rule's page must say

function messageIdsOf(rule: AnyRule): string[] {
  return Object.keys(rule.messages).map((key) => `${rule.messagePrefix}.${key}`);
}

/** The command word(s) before the first option, e.g. `az provider register`, `Update-AzConnectedLicense`. */
function commandStem(command: string): string {
  const words: string[] = [];
  for (const word of command.trim().split(/\s+/)) {
    if (word.startsWith('-') || word.includes('<')) break;
    words.push(word.replace(/;$/, ''));
    if (word.endsWith(';')) break;
  }
  return words.join(' ');
}

/** What the rule's remediation produces, with placeholders for every field of the subject. */
function remediationCommands(rule: AnyRule): readonly BuiltCommand[] {
  if (!rule.remediation) return [];
  return [...rule.remediation.commands(placeholder('subject'), { key: 'Failed', evidence: {} })];
}

function pageProblems(rule: AnyRule, text: string): string[] {
  const problems: string[] = [];
  const fields = frontMatter(text);
  if (!fields) return ['no front matter between --- lines'];
  for (const key of ['ruleId', 'title', 'group', 'severity'] as const) {
    const expected = key === 'ruleId' ? rule.id : rule[key];
    if (fields[key] !== expected) problems.push(`front matter ${key} is ${JSON.stringify(fields[key])}, expected ${JSON.stringify(expected)}`);
  }

  const found = sections(text);
  const headings = found.map((section) => section.heading);
  for (const name of SECTIONS) {
    const count = headings.filter((heading) => heading === name).length;
    if (count !== 1) problems.push(`section "## ${name}" appears ${count} times, expected once`);
    else if (found.find((section) => section.heading === name)!.body.trim() === '') problems.push(`section "## ${name}" is empty`);
  }
  const order = headings.filter((heading): heading is (typeof SECTIONS)[number] => (SECTIONS as readonly string[]).includes(heading));
  if (order.join('|') !== SECTIONS.filter((name) => order.includes(name)).join('|')) {
    problems.push(`sections are in the order ${order.join(', ')}, expected ${SECTIONS.join(', ')}`);
  }

  for (const messageId of messageIdsOf(rule)) {
    if (!mentions(text, messageId)) problems.push(`messageId ${messageId} is not mentioned`);
  }

  const howToFix = found.find((section) => section.heading === 'How to fix')?.body ?? '';
  for (const { shell, command } of remediationCommands(rule)) {
    const stem = commandStem(command);
    const blocks = fencedBlocks(howToFix, FENCE_FOR_SHELL[shell]);
    if (!blocks.some((block) => block.includes(stem))) {
      problems.push(`How to fix has no \`\`\`${FENCE_FOR_SHELL[shell]} block with "${stem}"`);
    }
  }

  for (const tool of checkedWithOf(remediationCommands(rule))) {
    if (!howToFix.includes(tool)) problems.push(`How to fix does not say the commands were checked against "${tool}"`);
  }

  const links = found.find((section) => section.heading === 'Links')?.body ?? '';
  for (const link of rule.links) {
    if (!links.includes(`(${link.url})`)) problems.push(`Links does not link ${link.url}`);
  }
  return problems;
}

/** Page files (other than the index) whose name is not a rule id. */
function orphanPages(files: readonly string[], rules: readonly AnyRule[]): string[] {
  const expected = new Set(rules.map((rule) => rulePageName(rule.id)));
  return files.filter((file) => file.endsWith('.md') && file !== INDEX && !expected.has(file)).sort();
}

// ---------------------------------------------------------------------------------------------
// The repository's pages

describe('rule pages', () => {
  for (const rule of allRules()) {
    test(`${rule.id} has a page that matches the rule`, () => {
      const path = join(DOCS, rulePageName(rule.id));
      assert.ok(existsSync(path), `missing page ${join(RULE_DOCS_FOLDER, rulePageName(rule.id))}`);
      assert.deepEqual(pageProblems(rule, readFileSync(path, 'utf8')), []);
    });
  }

  test('there is no page for a rule that does not exist', () => {
    assert.deepEqual(orphanPages(readdirSync(DOCS), allRules()), []);
  });

  test('docs/rules/README.md is the current output of renderRuleIndex()', () => {
    const path = join(DOCS, INDEX);
    assert.ok(existsSync(path), `missing ${join(RULE_DOCS_FOLDER, INDEX)}`);
    assert.equal(
      readFileSync(path, 'utf8'),
      renderRuleIndex(),
      'stale index: run `npx tsc -p . && node dist/scripts/generateRuleIndex.js`',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Self-checks: every check above can fail

describe('rule page checks (self-checks)', () => {
  const rule = allRules().find((candidate) => candidate.id === 'ESU.Machine.AgentVersion');
  assert.ok(rule, 'self-checks need ESU.Machine.AgentVersion in the catalogue');
  const good = readFileSync(join(DOCS, rulePageName(rule.id)), 'utf8');

  test('the real page has no problems', () => {
    assert.deepEqual(pageProblems(rule, good), []);
  });

  test('a page without front matter is reported', () => {
    assert.deepEqual(pageProblems(rule, good.replace(/^---[\s\S]*?\n---\n/, '')), ['no front matter between --- lines']);
  });

  test('front matter that disagrees with the rule is reported', () => {
    const text = good
      .replace(`ruleId: ${rule.id}`, 'ruleId: ESU.Machine.Other')
      .replace(`severity: ${rule.severity}`, 'severity: Low')
      .replace(`group: ${rule.group}`, 'group: License');
    const problems = pageProblems(rule, text);
    for (const key of ['ruleId', 'severity', 'group']) {
      assert.ok(problems.some((problem) => problem.startsWith(`front matter ${key} `)), `${key} mismatch not reported: ${problems.join('; ')}`);
    }
  });

  for (const name of SECTIONS) {
    test(`a missing "## ${name}" section is reported`, () => {
      const problems = pageProblems(rule, good.replace(`\n## ${name}\n`, `\n### ${name}\n`));
      assert.ok(problems.includes(`section "## ${name}" appears 0 times, expected once`), problems.join('; '));
    });
  }

  test('sections out of order are reported', () => {
    const text = good.replace('\n## Synopsis\n', '\n## Placeholder\n').replace('\n## Recommendation\n', '\n## Synopsis\n').replace('\n## Placeholder\n', '\n## Recommendation\n');
    assert.ok(pageProblems(rule, text).some((problem) => problem.startsWith('sections are in the order')));
  });

  test('an empty section is reported', () => {
    const text = good.replace(/## Recommendation\n[\s\S]*?\n## How to fix/, '## Recommendation\n\n## How to fix');
    assert.ok(pageProblems(rule, text).includes('section "## Recommendation" is empty'));
  });

  test('a messageId mentioned only as the prefix of a longer one is reported', () => {
    const passed = `${rule.messagePrefix}.Passed`;
    const text = good.replaceAll(new RegExp(`${escapeRegExp(passed)}(?!\\w|\\.\\w)`, 'g'), 'AgentVersion.Fine');
    assert.ok(mentions(good, passed));
    assert.ok(mentions(good, `${passed}WithWarning.Unknown`));
    assert.deepEqual(
      pageProblems(rule, text).filter((problem) => problem.startsWith('messageId')),
      [`messageId ${passed} is not mentioned`],
    );
  });

  test('a missing remediation command block is reported', () => {
    const text = good.replace(/```bash\r?\n[\s\S]*?```/g, '```text\n```');
    assert.ok(pageProblems(rule, text).some((problem) => problem.startsWith('How to fix has no ```bash block with "az connectedmachine show"')));
  });

  test('a page that does not name the tool versions is reported', () => {
    const text = good.replace(/^Checked against: .*$/m, '');
    assert.ok(pageProblems(rule, text).some((problem) => problem.startsWith('How to fix does not say the commands were checked against')));
  });

  test('a missing rule link is reported', () => {
    const url = rule.links[0]!.url;
    assert.ok(pageProblems(rule, good.replaceAll(`(${url})`, '(https://example.invalid/)')).includes(`Links does not link ${url}`));
  });

  test('a page whose rule does not exist is reported as an orphan', () => {
    const files = [INDEX, ...allRules().map((candidate) => rulePageName(candidate.id)), 'ESU.Machine.Retired.md', 'notes.txt'];
    assert.deepEqual(orphanPages(files, allRules()), ['ESU.Machine.Retired.md']);
  });

  test('a rule added to the catalogue changes the index, so a stale README fails', () => {
    const added: AnyRule = { ...rule, id: 'ESU.Machine.Added', title: 'Added | rule' };
    const rendered = renderRuleIndex([...allRules(), added]);
    assert.notEqual(rendered, renderRuleIndex());
    assert.ok(rendered.includes('| [ESU.Machine.Added](ESU.Machine.Added.md) | Added \\| rule | Machine | High |'));
  });

  test('the index is sorted by group, then id', () => {
    const rows = renderRuleIndex([...allRules()].reverse()).split('\n').filter((line) => line.startsWith('| ['));
    const keys = rows.map((row) => row.split(' | ').slice(2, 3).concat(/\[([^\]]+)\]/.exec(row)?.[1] ?? '').join(' '));
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(rows.length, allRules().length);
  });
});
