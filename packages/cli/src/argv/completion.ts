// Shell completion. The scripts call `vault --get-yargs-completions WORDS...` on every Tab; profile names come from
// the config file (or the credentials file, for `import`), options from the command table, commands and choices
// from yargs. Which words take a value and which arguments are profiles is read from the command table too.
import { listProfileNames, readConfigFile } from '@vault/profiles';
import { defaultShell } from '../commands/completion.js';
import type { Context } from '../io/context.js';
import { COMMANDS } from './commands.js';
import { findCommand, GLOBAL_OPTIONS, type CommandSpec, type OptionSpec, type ProfileSource } from './spec.js';

function allCommands(table: readonly CommandSpec[]): CommandSpec[] {
  return table.flatMap((c) => [c, ...allCommands(c.subcommands ?? [])]);
}

/** Options that take the next word as their value, so that word is not an argument; and the option's profiles. */
const VALUE_OPTIONS = new Map<string, ProfileSource | undefined>(
  [GLOBAL_OPTIONS, ...allCommands(COMMANDS).map((c) => c.options)].flatMap((options) =>
    Object.entries(options)
      .filter(([, o]) => o.type === 'string')
      .flatMap(([name, o]) => [name, ...(o.alias ?? [])].map((n) => [n.length === 1 ? `-${n}` : `--${n}`, o.profiles] as const)),
  ),
);

/**
 * Pure: the options that may follow `words` (the command line after `vault`, up to the word being typed, which they
 * start with), as a person types them: `-n` for a one-letter alias, `--no-session` for a flag that is on by default,
 * those already given left out unless repeatable. With `zsh`, each carries its description after a colon. yargs's
 * own completion, within a command, prints its candidates itself (`--n`, `--session`), before anything could map them.
 */
export function optionCandidates(words: readonly string[], zsh: boolean): string[] {
  const current = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const { command } = commandOf(before);
  const given = new Set(before.filter((w) => w.startsWith('-')));
  const options: Array<[string, OptionSpec]> = [
    ...Object.entries(GLOBAL_OPTIONS),
    ...Object.entries(command?.options ?? {}),
    ['help', { type: 'boolean', alias: ['h'], describe: 'show help' }],
    ...(command ? [] : [['version', { type: 'boolean', alias: ['v'], describe: 'show the version' }] as [string, OptionSpec]]),
  ];
  return options.flatMap(([name, o]) => {
    const spellings = [
      o.type === 'boolean' && o.default === true ? `--no-${name}` : dashed(name),
      ...(o.alias ?? []).map(dashed),
    ];
    if (!o.repeatable && [...spellings, `--${name}`].some((typed) => given.has(typed))) return [];
    return spellings.filter((typed) => typed.startsWith(current)).map((typed) => (zsh ? `${typed}:${o.describe ?? ''}` : typed));
  });
}

/** An option's name as typed: `-n`, `--region`. */
function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** The command the words before the one typed name (options and their values left out), and its arguments so far. */
function commandOf(before: readonly string[]): { command: CommandSpec | undefined; rest: string[] } {
  const args: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const word = before[i] as string;
    if (VALUE_OPTIONS.has(word)) i++;
    else if (!word.startsWith('-')) args.push(word);
  }
  let [name, ...rest] = args;
  let command = findCommand(COMMANDS, name);
  if (command?.subcommands) {
    [name, ...rest] = rest;
    command = findCommand(command.subcommands, name);
  }
  return { command, rest };
}

/**
 * Pure: what completes the last of `words` (the command line after `vault`, up to the word being typed): the profile
 * names of the config or credentials file, the shell's own completion (files, after `--`), or yargs.
 */
export function completionSource(words: readonly string[]): 'config' | 'credentials' | 'shell' | 'yargs' {
  const before = words.slice(0, -1);
  if (before.includes('--')) return 'shell';
  if ((words[words.length - 1] ?? '').startsWith('-')) return 'yargs';
  const previous = before[before.length - 1] ?? '';
  // The value of an option: profile names, or yargs, which knows its choices if it has any.
  if (VALUE_OPTIONS.has(previous)) return VALUE_OPTIONS.get(previous) ?? 'yargs';
  const { command, rest } = commandOf(before);
  const positionals = command?.positionals ?? [];
  const last = positionals[positionals.length - 1];
  const positional = positionals[rest.length] ?? (last?.variadic ? last : undefined);
  return positional?.profiles ?? 'yargs';
}

/**
 * Answers one completion request: `words` are the shell's words, the program name first. Prints one candidate per
 * line and never fails: a broken config file just means no profile names.
 */
export async function complete(
  ctx: Context,
  words: readonly string[],
  fromYargs: (words: readonly string[]) => Promise<readonly string[]>,
): Promise<number> {
  const source = completionSource(words.slice(1));
  let candidates: readonly string[] = [];
  try {
    if (source === 'config' || source === 'credentials') {
      const current = words[words.length - 1] ?? '';
      const file = await readConfigFile(source === 'config' ? ctx.configPath : ctx.credentialsPath, source);
      const zsh = defaultShell(ctx.env) === 'zsh';
      // zsh's _describe reads "name:description"; a colon inside a name must be escaped.
      candidates = listProfileNames(file)
        .filter((p) => p.startsWith(current))
        .map((p) => (zsh ? p.replace(/:/g, '\\:') : p));
    } else if ((words[words.length - 1] ?? '').startsWith('-')) {
      candidates = optionCandidates(words.slice(1), defaultShell(ctx.env) === 'zsh');
    } else if (source === 'yargs') {
      candidates = await fromYargs(words);
    }
  } catch (err) {
    ctx.debug(`completion failed: ${err instanceof Error ? err.message : String(err)}`);
    candidates = [];
  }
  if (candidates.length > 0) ctx.stdout(`${candidates.join('\n')}\n`);
  return 0;
}
