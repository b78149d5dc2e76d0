import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStatements } from '../support/commands/commandLine.js';
import type { Shell } from '../support/commands/contracts.js';

/** How command lines split into statements and words, in bash and PowerShell. */
const CASES: readonly { readonly name: string; readonly shell: Shell; readonly line: string; readonly statements: readonly (readonly string[])[] }[] = [
  { name: 'words and separators', shell: 'az', line: 'a b; c && d || e | f', statements: [['a', 'b'], ['c'], ['d'], ['e'], ['f']] },
  { name: 'quotes joined into one word', shell: 'az', line: `az x --target 'Windows Server 2012' --q "{a:b}"x`, statements: [['az', 'x', '--target', 'Windows Server 2012', '--q', '{a:b}x']] },
  { name: 'bash substitution inside double quotes is a statement too', shell: 'az', line: 'a --l "$(b --c d)"', statements: [['a', '--l', '$(b --c d)'], ['b', '--c', 'd']] },
  { name: 'bash line continuation and comments', shell: 'bash', line: 'a \\\n  b # note\nc', statements: [['a', 'b'], ['c']] },
  { name: 'bash output redirection is not an argument', shell: 'bash', line: 'a --u "x" > "out/$s.json"; b >> log', statements: [['a', '--u', 'x'], ['b']] },
  // A comma stays with its word: in PowerShell argument mode 'p', 'q' is one array argument.
  { name: 'PowerShell groups, blocks and hashtables', shell: 'powershell', line: "$x = (Get-A -N 'n').L; foreach ($u in @('p', 'q')) { Do-B -U $u }", statements: [['$x', '=', "(Get-A -N 'n').L"], ['Get-A', '-N', 'n'], ['foreach', "($u in @('p', 'q'))", "{ Do-B -U $u }"], ['$u', 'in', "@('p', 'q')"], ['p,', 'q'], ['Do-B', '-U', '$u']] },
  { name: "PowerShell '' inside single quotes", shell: 'powershell', line: "Write-X 'it''s'", statements: [['Write-X', "it's"]] },
  { name: 'PowerShell backtick continuation', shell: 'powershell', line: 'A -B 1 `\n  -C 2', statements: [['A', '-B', '1', '-C', '2']] },
];

describe('command lines: statements and words', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      assert.deepEqual(parseStatements(testCase.line, testCase.shell).map((statement) => statement.map((word) => word.text)), testCase.statements);
    });
  }

  it('knows which parts were quoted (for the URL check)', () => {
    const [statement] = parseStatements("az rest --url 'https://h/p?a=1' --b https://h/q?x=1", 'az');
    assert.deepEqual(statement?.map((word) => [word.quoted, word.bare]), [[false, 'az'], [false, 'rest'], [false, '--url'], [true, ''], [false, '--b'], [false, 'https://h/q?x=1']]);
  });
});
