/**
 * Checks that a page cites its Microsoft sources rather than inventing them: every link into the captured sources
 * (`sources/…`, a copy of the team's ../shared/sources) names an existing file and a heading in it; a link to a
 * Microsoft Learn page we captured names a heading that page has; no page quotes more than a short phrase; and a
 * quote in a paragraph that cites captured pages is text those pages contain. Pure: the caller reads the files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** More words than this in quotation marks is a quotation, not a phrase. */
export const MAX_QUOTE_WORDS = 12;
/** Quoted names that are not quotations (built-in policy display names, as Azure shows them). */
export const QUOTED_NAMES: readonly string[] = [
  '[Preview]: Extended Security Updates should be installed on Windows Server 2012 Arc machines.',
  '[Preview]: Deny Extended Security Updates (ESUs) license creation or modification.',
  '[Preview]: Enable Extended Security Updates (ESUs) license to keep Windows 2012 machines protected after their support lifecycle has ended.',
];

const LEARN_ARC_SERVERS = /^https:\/\/learn\.microsoft\.com\/(?:[a-z]{2}-[a-z]{2}\/)?azure\/azure-arc\/servers\/([\w-]+)\/?(?:#([\w-]+))?$/;
const CAPTURED_LEARN = join('microsoft-learn', 'azure-arc-servers');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');
}

/** The anchors a captured file offers: its Markdown headings, or a JSON file's top-level keys. */
export function anchorsOf(sourcesRoot: string, file: string): Set<string> | undefined {
  const path = join(sourcesRoot, file);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  if (file.endsWith('.json')) return new Set(Object.keys(JSON.parse(text) as Record<string, unknown>));
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((match) => headingSlug(match[1] ?? '')));
}

/** Page text without fenced code and inline code (commands are not citations or quotes). */
function prose(text: string): string {
  // Inline code stays as its text (a quote may name a property), unless it holds quotation marks (a command).
  return text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`([^`\n]*)`/g, (_code, inner: string) => (/["“”]/.test(inner) ? '' : inner));
}

const normalised = (text: string): string =>
  text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

interface Link {
  readonly target: string;
  readonly paragraph: number;
}

function linksOf(paragraphs: readonly string[]): Link[] {
  return paragraphs.flatMap((paragraph, index) => [...paragraph.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => ({ target: match[1] ?? '', paragraph: index })));
}

/** The captured file a link names (relative to the sources root), and its anchor. */
function capturedTarget(target: string, sourcesRoot: string): { file: string; anchor?: string; direct: boolean } | undefined {
  const local = /(?:^|\/)sources\/((?:microsoft-learn|cve)\/[^#]+?)(?:#(.*))?$/.exec(target);
  if (local && !target.startsWith('http')) return { file: posix.normalize(local[1] ?? ''), ...(local[2] ? { anchor: local[2] } : {}), direct: true };
  const learn = LEARN_ARC_SERVERS.exec(target);
  if (learn && existsSync(join(sourcesRoot, CAPTURED_LEARN, `${learn[1]}.md`))) {
    return { file: posix.join('microsoft-learn', 'azure-arc-servers', `${learn[1]}.md`), ...(learn[2] ? { anchor: learn[2] } : {}), direct: false };
  }
  return undefined;
}

/** The headings of every captured Markdown page, normalised. */
function allHeadings(sourcesRoot: string): Set<string> {
  const folder = join(sourcesRoot, CAPTURED_LEARN);
  if (!existsSync(folder)) return new Set();
  return new Set(
    readdirSync(folder)
      .filter((file) => file.endsWith('.md'))
      .flatMap((file) => [...readFileSync(join(folder, file), 'utf8').matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((match) => normalised(match[1] ?? ''))),
  );
}

/** Everything wrong with one page's citations and quotations; empty when it cites honestly. */
export function citationProblems(page: string, sourcesRoot: string): string[] {
  const problems: string[] = [];
  const paragraphs = prose(page).split(/\n\s*\n/);
  const citedFiles = new Map<number, Set<string>>();
  for (const { target, paragraph } of linksOf(paragraphs)) {
    if (/learn\.microsoft\.com\/(?:[a-z]{2}-[a-z]{2}\/)?azure-stack\/hci\//.test(target)) problems.push(`${target}: Azure Stack HCI pages moved to azure/azure-local`);
    const captured = capturedTarget(target, sourcesRoot);
    if (!captured) continue;
    const anchors = anchorsOf(sourcesRoot, captured.file);
    if (!anchors) {
      problems.push(`${target}: no captured source ${captured.file}`);
      continue;
    }
    if (captured.direct && captured.anchor === undefined) problems.push(`${target}: names no heading of ${captured.file}`);
    else if (captured.anchor !== undefined && !anchors.has(captured.anchor)) problems.push(`${target}: ${captured.file} has no heading "${captured.anchor}"`);
    if (!citedFiles.has(paragraph)) citedFiles.set(paragraph, new Set());
    citedFiles.get(paragraph)!.add(captured.file);
  }
  const headings = allHeadings(sourcesRoot);
  paragraphs.forEach((paragraph, index) => {
    // A paragraph that also links a source we have not captured (an API specification, a policy file) may quote it.
    const uncaptured = linksOf([paragraph]).some(({ target }) => /^https?:/.test(target) && !capturedTarget(target, sourcesRoot));
    for (const match of paragraph.matchAll(/"([^"]+)"|“([^”]+)”/g)) {
      const quote = (match[1] ?? match[2] ?? '').trim();
      const words = normalised(quote).split(' ').filter(Boolean);
      // Names, and a heading's title, are not quotations.
      if (QUOTED_NAMES.some((name) => normalised(name) === normalised(quote)) || headings.has(normalised(quote))) continue;
      if (words.length > MAX_QUOTE_WORDS) problems.push(`quotes ${words.length} words (more than ${MAX_QUOTE_WORDS}): "${quote.slice(0, 80)}…"`);
      const files = citedFiles.get(index);
      if (!files || words.length < 4 || uncaptured) continue;
      const inSources = [...files].some((file) => normalised(readFileSync(join(sourcesRoot, file), 'utf8')).includes(normalised(quote).replace(/[.,;:]$/, '')));
      if (!inSources) problems.push(`"${quote.slice(0, 80)}" is not in ${[...files].join(', ')}, which the paragraph cites`);
    }
  });
  return problems;
}
