// `vault lst` says "did you mean list?" (yargs' own suggestion offers any command within three edits, which for a
// four-letter typo is most of the table).
import { CliError } from '../errors/cli-error.js';
import { COMMANDS } from './commands.js';
import { GLOBAL_OPTIONS, valueSpellings } from './spec.js';

/** Edit distance with adjacent transpositions (optimal string alignment): `exce` is one edit from `exec`. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[i - 1]![j] as number) + 1, (d[i]![j - 1] as number) + 1, (d[i - 1]![j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[i - 2]![j - 2] as number) + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length] as number;
}

/** Pure: the known name closest to `word`, if it is close enough to be a typo of it (at most 2 edits, under half its length). */
export function nearest(word: string, names: readonly string[]): string | undefined {
  const scored = names.map((name) => ({ name, distance: editDistance(word.toLowerCase(), name) })).sort((x, y) => x.distance - y.distance);
  const best = scored[0];
  return best && best.distance <= 2 && best.distance * 2 < Math.max(word.length, best.name.length) ? best.name : undefined;
}

/** The first word that is neither an option nor the value of a global one (`vault --backend file list`). */
export function commandWord(args: readonly string[]): string | undefined {
  const valued = new Set(valueSpellings(GLOBAL_OPTIONS).map(([spelled]) => spelled));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return undefined;
    if (!arg.startsWith('-')) return arg;
    if (valued.has(arg)) i++;
  }
  return undefined;
}

/**
 * aws-vault's global flags for its other key stores (macOS keychain, secret-service, pass, 1Password, Proton Pass,
 * Touch ID; cli/global.go): vault keeps keys only in its encrypted file, so they have nothing to set. Named as such,
 * rather than as an unknown command (the word after one that takes a value) or an unknown argument.
 */
const OTHER_STORE_FLAGS = new Set([
  'keychain',
  'secret-service-collection',
  'pass-dir',
  'pass-cmd',
  'pass-prefix',
  'op-timeout',
  'op-vault-id',
  'op-item-title-prefix',
  'op-item-tag',
  'op-connect-host',
  'op-desktop-account-id',
  'proton-pass-share-id',
  'proton-pass-item-title-prefix',
  'proton-pass-api-base',
  'proton-pass-timeout',
  'biometrics',
]);

/** Throws the usage error for an aws-vault flag of a key store vault does not have (before a `--`). */
export function checkOtherStoreFlags(args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=', 1)[0] as string;
    // kingpin gives every boolean flag a --no- form (--no-biometrics).
    if (!OTHER_STORE_FLAGS.has(name) && !OTHER_STORE_FLAGS.has(name.replace(/^no-/, ''))) continue;
    throw new CliError(
      'USAGE',
      `--${name} is aws-vault's flag for one of its other key stores; vault keeps keys only in its encrypted file (the file backend, in --file-dir): leave it out`,
      2,
    );
  }
}

/** Throws the usage error when the command word of `args` names no command; `help` is understood too. */
export function checkCommandName(args: readonly string[]): void {
  const word = commandWord(args);
  if (word === undefined) return;
  const names = [...COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]), 'help'];
  if (names.includes(word)) return;
  const guess = nearest(word, names);
  throw new CliError('USAGE', `unknown command "${word}"${guess ? `: did you mean ${guess}?` : ''}`, 2);
}
