// The shape of the command table (argv/commands.ts). The table is plain data plus lazy handlers, so the three
// readers of the command line (yargs, the exec fast path, shell completion) are built from one declaration.
import type { Context } from '../io/context.js';

/** Where shell completion takes the candidates of an argument from. */
export type ProfileSource = 'config' | 'credentials';

export interface OptionSpec {
  type: 'boolean' | 'string';
  describe?: string;
  /** One letter is a short option (-d), longer ones are other long spellings (--ecs-server). */
  alias?: readonly string[];
  default?: boolean | string | readonly string[];
  /** Every value is kept, in order. Any other option given twice is a usage error. */
  repeatable?: boolean;
  choices?: readonly string[];
  required?: boolean;
  /** Its value is a profile name, which shell completion offers. */
  profiles?: ProfileSource;
}

export interface PositionalSpec {
  name: string;
  describe?: string;
  required?: boolean;
  /** Takes every remaining word (only the last positional). */
  variadic?: boolean;
  choices?: readonly string[];
  profiles?: ProfileSource;
}

/** What a parser hands a handler: option and positional values under their kebab-case names, plus `--`. */
export type Parsed = Readonly<Record<string, unknown>>;

export interface CommandSpec {
  name: string;
  aliases?: readonly string[];
  describe: string;
  positionals: readonly PositionalSpec[];
  options: Readonly<Record<string, OptionSpec>>;
  /** Cross-option rules that types cannot state. */
  check?: (a: Parsed) => void;
  /** Returns the exit status, or nothing for 0. Absent on a group of subcommands. */
  run?: (ctx: Context, a: Parsed) => Promise<number | void>;
  subcommands?: readonly CommandSpec[];
  /** The usage error of a group named without a subcommand. */
  demandSubcommand?: string;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  debug: { type: 'boolean', default: false, describe: 'diagnostics on stderr (secrets redacted)' },
  // aws-vault's global flags, each the flag of the variable vault reads (the variable is their default, as there).
  backend: { type: 'string', describe: 'the key store: only file, the encrypted vault file (default: $AWS_VAULT_BACKEND)' },
  prompt: { type: 'string', describe: 'how MFA codes are asked: terminal, ykman, zenity, kdialog or osascript (default: $AWS_VAULT_PROMPT)' },
  'file-dir': { type: 'string', describe: 'the directory of the vault file (default: $AWS_VAULT_FILE_DIR, else ~/.awsvault)' },
};

/** The variables aws-vault's global flags stand for. */
export const GLOBAL_FLAG_VARIABLES: Readonly<Record<string, string>> = {
  backend: 'AWS_VAULT_BACKEND',
  prompt: 'AWS_VAULT_PROMPT',
  'file-dir': 'AWS_VAULT_FILE_DIR',
};

export function text(a: Parsed, name: string): string | undefined {
  const v = a[name];
  return v === undefined ? undefined : String(v);
}

export function flag(a: Parsed, name: string): boolean {
  return a[name] === true;
}

export function list(a: Parsed, name: string): string[] {
  const v = a[name];
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

/** An option's name as typed: `-n`, `--region`. */
export function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/**
 * The spellings (name and aliases, dashed) of the options that take the next word as their value, each with its
 * option: the word after one is that value, not an argument nor a command.
 */
export function valueSpellings(options: Readonly<Record<string, OptionSpec>>): Array<[string, OptionSpec]> {
  return Object.entries(options)
    .filter(([, o]) => o.type === 'string')
    .flatMap(([name, o]) => [name, ...(o.alias ?? [])].map((n): [string, OptionSpec] => [dashed(n), o]));
}

/** The command of the table that `name` (or one of its aliases) names. */
export function findCommand(table: readonly CommandSpec[], name: string | undefined): CommandSpec | undefined {
  return table.find((c) => c.name === name || (c.aliases ?? []).includes(name ?? ''));
}
