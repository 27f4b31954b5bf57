// Shell completion. The scripts call `vault --get-yargs-completions WORDS...` (yargs's name for the request, kept
// for scripts already installed) on every Tab; profile names come from the config file (or the credentials file,
// for `import`), everything else (commands, options, choices) from the command table. Not from yargs: within a
// command, its completion prints its candidates itself (`--n`, `--session`, which do nothing typed so) and never
// answers, leaving the process to end with nothing left to run.
import { listProfileNames, readConfigFile } from '@vault/profiles';
import { defaultShell } from '../commands/completion.js';
import type { Context } from '../io/context.js';
import { COMMANDS } from './commands.js';
import { commandOf, VALUE_OPTIONS } from './command-words.js';
import { dashed, GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './spec.js';

/**
 * Pure: the options that may follow `words` (the command line after `vault`, up to the word being typed, which they
 * start with), as a person types them: `-n` for a one-letter alias, `--no-session` for a flag that is on by default,
 * those already given left out unless repeatable. With `zsh`, each carries its description after a colon.
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

/**
 * Pure: what the command table offers for the last of `words` (the command line after `vault`), a word that does not
 * start with `-`: the choices of the option before it or of the argument it is, or the commands (or subcommands)
 * that may come there; with none of those for an empty word, the options, as yargs did. With `zsh`, commands carry
 * their description after a colon, and a colon in a choice is escaped.
 */
export function tableCandidates(words: readonly string[], zsh: boolean): string[] {
  const current = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const { command, rest } = commandOf(before);
  const previous = before[before.length - 1] ?? '';
  const option = previous.startsWith('-') ? optionNamed(previous, command) : undefined;
  const escape = (choice: string) => (zsh ? choice.replace(/:/g, '\\:') : choice);
  const named = (commands: readonly CommandSpec[]) => commands.map((c) => (zsh ? `${c.name}:${c.describe}` : c.name));
  let found: string[];
  if (option?.type === 'string') found = (option.choices ?? []).map(escape);
  else if (!command) found = named(COMMANDS);
  else if (command.subcommands && rest.length === 0) found = named(command.subcommands);
  else found = (command.positionals[rest.length]?.choices ?? []).map(escape);
  found = found.filter((candidate) => candidate.startsWith(current));
  return found.length === 0 && current === '' && option?.type !== 'string' ? optionCandidates(words, zsh) : found;
}

/** The option a word spells (`--region`, `-d`, `--no-session`), among the global ones and the command's. */
function optionNamed(word: string, command: CommandSpec | undefined): OptionSpec | undefined {
  const name = word.replace(/^--?(no-)?/, '');
  const options = { ...GLOBAL_OPTIONS, ...command?.options };
  return options[name] ?? Object.values(options).find((o) => o.alias?.includes(name));
}


/**
 * Pure: what completes the last of `words` (the command line after `vault`, up to the word being typed): the profile
 * names of the config or credentials file, the shell's own completion (files, after `--`), or the command table.
 */
export function completionSource(words: readonly string[]): 'config' | 'credentials' | 'shell' | 'table' {
  const before = words.slice(0, -1);
  if (before.includes('--')) return 'shell';
  if ((words[words.length - 1] ?? '').startsWith('-')) return 'table';
  const previous = before[before.length - 1] ?? '';
  // The value of an option: profile names, or the table, which knows its choices if it has any.
  if (VALUE_OPTIONS.has(previous)) return VALUE_OPTIONS.get(previous) ?? 'table';
  const { command, rest } = commandOf(before);
  const positionals = command?.positionals ?? [];
  const last = positionals[positionals.length - 1];
  const positional = positionals[rest.length] ?? (last?.variadic ? last : undefined);
  return positional?.profiles ?? 'table';
}

/**
 * Answers one completion request: `words` are the shell's words, the program name first. Prints one candidate per
 * line and never fails: a broken config file just means no profile names.
 */
export async function complete(ctx: Context, words: readonly string[]): Promise<number> {
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
    } else if (source === 'table') {
      const zsh = defaultShell(ctx.env) === 'zsh';
      candidates = (words[words.length - 1] ?? '').startsWith('-') ? optionCandidates(words.slice(1), zsh) : tableCandidates(words.slice(1), zsh);
    }
  } catch (err) {
    ctx.debug(`completion failed: ${err instanceof Error ? err.message : String(err)}`);
    candidates = [];
  }
  if (candidates.length > 0) ctx.stdout(`${candidates.join('\n')}\n`);
  return 0;
}
