/**
 * Checks of the pages a person reads (README.md, CONTRIBUTING.md, docs/**): relative links reach a file, an anchor
 * names a heading of its page, and every `esu-scan` command or synopsis names commands and options the CLI defines.
 * Pure: the caller reads the files and passes the CLI's real definition.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { headingSlug } from './sourceCitations.js';

/** The Markdown pages a newcomer reads, relative to the repository root, in a stable order. */
export function documentationPages(root: string): string[] {
  const pages = ['README.md', 'CONTRIBUTING.md', join('samples', 'README.md')].filter((page) => existsSync(join(root, page)));
  const walk = (folder: string): string[] =>
    readdirSync(join(root, folder)).sort().flatMap((name) => {
      const path = join(folder, name);
      if (statSync(join(root, path)).isDirectory()) return walk(path);
      return name.endsWith('.md') ? [path] : [];
    });
  return [...pages, ...walk('docs')];
}

/** Text outside fenced code blocks (links and headings inside code are not links or headings). */
function outsideFences(text: string): string {
  return text.replace(/^(```|~~~)[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's anchors of a page: one per heading, a repeated heading gets -1, -2, …; explicit `<a id>` too. */
export function pageAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of outsideFences(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = headingSlug((match[1] ?? '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, ''));
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  for (const match of text.matchAll(/<a (?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  return anchors;
}

/** Problems of the relative links of `page` (a path relative to `root`): missing files, missing anchors. */
export function linkProblems(root: string, page: string, text: string): string[] {
  const problems: string[] = [];
  const prose = outsideFences(text).replace(/`[^`\n]*`/g, '');
  for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …: not ours to resolve offline
    const [path = '', anchor] = target.split('#', 2);
    if (path === '') {
      if (anchor && !pageAnchors(text).has(anchor)) problems.push(`${page}: #${anchor} names no heading of this page`);
      continue;
    }
    const file = join(root, dirname(page), decodeURIComponent(path));
    if (!file.startsWith(root + sep) && file !== root) {
      problems.push(`${page}: ${target} leaves the repository`);
      continue;
    }
    if (!existsSync(file)) {
      problems.push(`${page}: ${target} does not exist (${relative(root, file)})`);
      continue;
    }
    if (anchor === undefined || anchor === '' || !file.endsWith('.md')) continue;
    if (relative(root, file).split(sep)[0] === 'sources') continue; // citations: test/docs/sourceCitations.test.ts
    if (!pageAnchors(readFileSync(file, 'utf8')).has(anchor)) problems.push(`${page}: ${target} names no heading of ${relative(root, file)}`);
  }
  return problems;
}

/** `esu-scan …` as a page shows it: lines of its bash blocks, and inline code spans. */
export function esuScanMentions(text: string): string[] {
  const found: string[] = [];
  for (const block of text.matchAll(/^```bash[ \t]*\r?\n([\s\S]*?)^```/gm)) {
    for (const line of (block[1] ?? '').replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
      const command = /(?:^|\s)(?:npx\s+)?(esu-scan\s.*)$/.exec(line.replace(/\s+#.*$/, ''))?.[1];
      if (command && !line.trim().startsWith('#')) found.push(command.trim());
    }
  }
  for (const span of outsideFences(text).matchAll(/`(?:[A-Z_]+=\S+\s+)*(?:npx\s+)?(esu-scan(?:\s[^`]*)?)`/g)) found.push((span[1] ?? '').trim());
  return found;
}

/**
 * What is wrong with one mention against the CLI's definition: an unknown command, an option the command does not
 * define, or (for a whole command without placeholders) arguments commander would refuse.
 */
export function esuScanProblems(program: Command, mention: string): string[] {
  const words = mention.replace(/\\\|/g, '|').split(/\s+/).slice(1);
  let command = program;
  while (words.length > 0 && command.commands.length > 0) {
    const word = words[0] ?? '';
    if (word.startsWith('-') || /^[<[.…]/.test(word)) break;
    const next = command.commands.find((candidate) => candidate.name() === word || candidate.aliases().includes(word));
    if (!next) return [`${mention}: ${command === program ? 'esu-scan' : command.name()} has no command ${word}`];
    command = next;
    words.shift();
  }
  const flags = new Set([...command.options, ...program.options].flatMap((option) => [option.long, option.short]).filter((flag): flag is string => flag !== undefined));
  flags.add('--help');
  const problems = words
    .map((word) => /^(--?[A-Za-z][\w-]*)/.exec(word.replace(/^\[/, ''))?.[1])
    .filter((flag): flag is string => flag !== undefined && !flags.has(flag))
    .map((flag) => `${mention}: ${command.name()} has no option ${flag}`);
  const placeholder = /[[\]|<>…]|\.\.\.|\b[A-Z]{2,}\b/.test(words.join(' '));
  if (problems.length === 0 && !placeholder && command !== program) {
    command.configureOutput({ writeErr: () => undefined, outputError: () => undefined });
    try {
      const parsed = command.parseOptions(words);
      if (parsed.unknown.length > 0) problems.push(`${mention}: ${command.name()} refuses ${parsed.unknown.join(' ')}`);
      const declared = command.registeredArguments;
      if (parsed.operands.length > declared.length && !declared.at(-1)?.variadic) {
        problems.push(`${mention}: ${command.name()} takes ${declared.length} argument(s), not ${parsed.operands.join(' ')}`);
      }
    } catch (error) {
      // Prose may name an option on its own (`esu-scan findings --subscription`): its value is missing, not wrong.
      const namesLastOption = (error as { code?: string }).code === 'commander.optionMissingArgument' && words.at(-1)?.startsWith('--');
      if (!namesLastOption) problems.push(`${mention}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}
