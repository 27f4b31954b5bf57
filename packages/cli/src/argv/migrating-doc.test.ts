// docs/migrating-from-aws-vault.md holds one row per aws-vault command, flag, variable and config key, and says
// whether vault has it. This test holds each row to the code: a flag the doc says works must be in the command
// table, one it says vault lacks must not be, and a variable or key it says vault reads must be read somewhere.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from './commands.js';
import { findCommand, GLOBAL_OPTIONS, type OptionSpec } from './spec.js';
import { helpRequest } from './yargs-parser.js';

const root = new URL('../../../../', import.meta.url).pathname;
const doc = readFileSync(join(root, 'docs/migrating-from-aws-vault.md'), 'utf8');

type Verdict = 'yes' | 'differs' | 'refused' | 'no';
interface Row {
  item: string;
  verdict: Verdict;
}

/** The rows of the table under `### heading`, as (first backticked text, second column). */
function rows(heading: string): Row[] {
  const start = doc.indexOf(`### ${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const section = doc.slice(start).split('\n### ')[0] as string;
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, first = '', second = ''] = line.split('|').map((c) => c.trim());
      return { item: (/`([^`]+)`/.exec(first) as RegExpExecArray)[1] as string, verdict: second as Verdict };
    });
}

/** Whether `spelling` (--name, --no-name or -x) is an option of these. */
function accepts(options: Readonly<Record<string, OptionSpec>>, spelling: string): boolean {
  const all = { ...GLOBAL_OPTIONS, ...options };
  if (['--help', '-h', '--version', '-v'].includes(spelling)) return true;
  return Object.entries(all).some(([name, o]) => {
    const names = [name, ...(o.alias ?? [])];
    if (spelling.startsWith('--no-') && o.type === 'boolean' && names.includes(spelling.slice(5))) return true;
    return names.includes(spelling.replace(/^--?/, '')) && (spelling.startsWith('--') ? spelling.length > 3 : spelling.length === 2);
  });
}

/** Whether vault understands the command line a row names (`exec --lazy`, `remove --force/-f`, `--debug`, `ls`). */
function understood(item: string): boolean {
  const words = item.split(/\s+/);
  const commandWord = words[0]?.startsWith('-') ? undefined : words[0];
  const spellings = words.filter((w) => w.startsWith('-') && w !== '--').flatMap((w) => w.split('/'));
  if (commandWord === 'help') return helpRequest(['help', 'list'])[1] === '--help';
  const command = commandWord === undefined ? undefined : findCommand(COMMANDS, commandWord);
  if (commandWord !== undefined && command === undefined) return false;
  return spellings.every((s) => accepts(command?.options ?? {}, s));
}

/** The non-test TypeScript of the packages: where a variable or key is read. */
function sources(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files.push(path);
    }
  };
  for (const pkg of ['cli', 'core', 'profiles']) walk(join(root, 'packages', pkg, 'src'));
  // Comments do not read anything: a variable named only in one is not read.
  const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return files.map((f) => withoutComments(readFileSync(f, 'utf8'))).join('\n');
}
const code = sources();
const read = (name: string) => new RegExp(`\\b${name}\\b`).test(code);

const verdicts: Verdict[] = ['yes', 'differs', 'refused', 'no'];

describe('commands and flags', () => {
  const table = rows('Commands and flags').filter((r) => !r.item.includes('*'));
  test('the table is there, with a verdict on every row', () => {
    expect(table.length).toBeGreaterThan(50);
    for (const r of table) expect({ item: r.item, verdict: verdicts.includes(r.verdict) }).toEqual({ item: r.item, verdict: true });
  });
  test.each(table.map((r) => [r.item, r.verdict] as const))('%s: %s', (item, verdict) => {
    expect(understood(item)).toBe(verdict !== 'no');
  });
  test('every command of vault that aws-vault also has is in the table', () => {
    const named = new Set(table.map((r) => r.item.split(/\s+/)[0]));
    const vaultOnly = ['whoami', 'import', 'config', 'passphrase', 'unlock', 'lock', 'completion'];
    for (const c of COMMANDS) if (!vaultOnly.includes(c.name)) expect({ command: c.name, listed: named.has(c.name) }).toEqual({ command: c.name, listed: true });
  });
});

describe.each(['Environment variables', 'Config keys'])('%s', (heading) => {
  const table = rows(heading).filter((r) => !r.item.includes('*'));
  test.each(table.map((r) => [r.item, r.verdict] as const))('%s: %s', (name, verdict) => {
    expect(verdicts).toContain(verdict);
    // "yes", "differs" and "refused" are all read by the code; "no" must not be, or the doc hides a feature.
    expect({ name, read: read(name) }).toEqual({ name, read: verdict !== 'no' });
  });
});
