import type { Shell } from './contracts.js';

/**
 * Splits a bash or PowerShell command line into statements and words, the way the shell would, closely
 * enough to check commands against their contracts: quotes, `$(...)`, PowerShell `(...)`, `{...}` and
 * `@{...}` (their inner statements are returned too), separators `;` `|` `&&` `||` `&` and newlines,
 * line continuations and comments.
 */

export interface Word {
  /** The word with quotes removed. */
  readonly text: string;
  /** Some part of it was quoted. */
  readonly quoted: boolean;
  /** Some part of it was not quoted. */
  readonly bare: string;
  /** It contains a substitution (`$(...)`, `(...)`, `{...}`): its value is only known at run time. */
  readonly substituted: boolean;
}

export type Statement = readonly Word[];

interface WordBuilder {
  text: string;
  bare: string;
  quoted: boolean;
  substituted: boolean;
  started: boolean;
}

const CLOSE: Readonly<Record<string, string>> = { '(': ')', '{': '}' };

/** The index just past the bracket that closes the one at `start`, skipping quoted text. */
function closingIndex(text: string, start: number, shell: Shell): number {
  const stack = [CLOSE[text[start]!]!];
  let index = start + 1;
  while (index < text.length && stack.length > 0) {
    const char = text[index]!;
    if (char === "'" || char === '"') {
      index = quotedEnd(text, index, shell);
      continue;
    }
    if (char === '(' || char === '{') stack.push(CLOSE[char]!);
    else if (char === stack[stack.length - 1]) stack.pop();
    index += 1;
  }
  return index;
}

/** The index just past the quote that closes the one at `start`. */
function quotedEnd(text: string, start: number, shell: Shell): number {
  const quote = text[start]!;
  let index = start + 1;
  while (index < text.length) {
    const char = text[index]!;
    if (quote === '"' && (char === (shell === 'powershell' ? '`' : '\\'))) {
      index += 2;
      continue;
    }
    if (quote === '"' && char === '$' && text[index + 1] === '(') {
      index = closingIndex(text, index + 1, shell);
      continue;
    }
    if (char === quote) {
      if (shell === 'powershell' && text[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  return index;
}

/** The statements of `text`, nested ones (from substitutions and blocks) after the one that holds them. */
export function parseStatements(text: string, shell: Shell): Statement[] {
  const result: Statement[] = [];
  const nested: Statement[] = [];
  let statement: Word[] = [];
  let word: WordBuilder = { text: '', bare: '', quoted: false, substituted: false, started: false };
  const escape = shell === 'powershell' ? '`' : '\\';

  const endWord = () => {
    if (word.started) statement.push({ text: word.text, bare: word.bare, quoted: word.quoted, substituted: word.substituted });
    word = { text: '', bare: '', quoted: false, substituted: false, started: false };
  };
  const endStatement = () => {
    endWord();
    if (statement.length > 0) result.push(statement);
    result.push(...nested.splice(0));
    statement = [];
  };
  const inner = (from: number, to: number) => {
    nested.push(...parseStatements(text.slice(from, to), shell));
  };

  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    const next = text[index + 1];
    if (char === escape) {
      if (next === '\n' || (next === '\r' && text[index + 2] === '\n')) {
        index += next === '\n' ? 2 : 3;
        endWord();
        continue;
      }
      word.text += next ?? '';
      word.bare += next ?? '';
      word.started = true;
      index += 2;
      continue;
    }
    if (char === '#' && !word.started) {
      while (index < text.length && text[index] !== '\n') index += 1;
      continue;
    }
    // bash output redirection: `> file`, `>> file`, `2> file` are not arguments.
    if (shell !== 'powershell' && char === '>' && !word.started) {
      index += next === '>' ? 2 : 1;
      while (text[index] === ' ') index += 1;
      while (index < text.length && !/[\s;|&]/.test(text[index]!)) index = text[index] === '"' || text[index] === "'" ? quotedEnd(text, index, shell) : index + 1;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      endWord();
      index += 1;
      continue;
    }
    if (char === '\n' || char === ';' || char === '|' || char === '&') {
      endStatement();
      index += (char === '|' || char === '&') && next === char ? 2 : 1;
      continue;
    }
    if (char === "'" || char === '"') {
      const end = quotedEnd(text, index, shell);
      const body = text.slice(index + 1, end - 1);
      if (char === '"') {
        for (const match of body.matchAll(/\$\(/g)) {
          const open = index + 1 + match.index + 1;
          inner(open + 1, closingIndex(text, open, shell) - 1);
          word.substituted = true;
        }
      }
      word.text += shell === 'powershell' && char === "'" ? body.replaceAll("''", "'") : body;
      word.quoted = true;
      word.started = true;
      index = end;
      continue;
    }
    const opensSubstitution = char === '$' && next === '(';
    const opensHashtable = shell === 'powershell' && char === '@' && (next === '{' || next === '(');
    const opensGroup = shell === 'powershell' && (char === '(' || char === '{');
    if (opensSubstitution || opensHashtable || opensGroup) {
      const open = opensGroup ? index : index + 1;
      const end = closingIndex(text, open, shell);
      inner(open + 1, end - 1);
      word.text += text.slice(index, end);
      word.substituted = true;
      word.started = true;
      index = end;
      continue;
    }
    word.text += char;
    word.bare += char;
    word.started = true;
    index += 1;
  }
  endStatement();
  return result;
}
