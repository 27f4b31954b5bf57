// Shell completion. The scripts call `vault --get-yargs-completions WORDS...` on every Tab; profile names come from
// the config file (or the credentials file, for `import`), everything else (commands, options, choices) from yargs.
// Which words take a value and which arguments are profiles is read from the command table.
import { listProfileNames, readConfigFile } from '@vault/profiles';
import { defaultShell } from '../commands/completion.js';
import type { Context } from '../io/context.js';
import { COMMANDS } from './commands.js';
import { findCommand, GLOBAL_OPTIONS, type CommandSpec, type ProfileSource } from './spec.js';

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

/** Boolean options that are on unless turned off: people write them `--no-NAME`. */
const NEGATABLE = new Set(
  [GLOBAL_OPTIONS, ...allCommands(COMMANDS).map((c) => c.options)].flatMap((options) =>
    Object.entries(options).flatMap(([name, o]) => (o.type === 'boolean' && o.default === true ? [name] : [])),
  ),
);

/**
 * Pure: a candidate of yargs as a person types it. yargs offers a one-letter alias as `--n` and a flag that is on by
 * default by its name (`--session`), which do nothing typed that way: `-n` and `--no-session` do. A zsh candidate
 * carries its description after a colon.
 */
export function asTyped(candidate: string): string {
  const match = /^--([^:]+)(:[\s\S]*)?$/.exec(candidate);
  if (!match) return candidate;
  const [, name = '', description = ''] = match;
  if (name.length === 1) return `-${name}${description}`;
  return NEGATABLE.has(name) ? `--no-${name}${description}` : candidate;
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
    } else if (source === 'yargs') {
      candidates = (await fromYargs(words)).map(asTyped);
    }
  } catch (err) {
    ctx.debug(`completion failed: ${err instanceof Error ? err.message : String(err)}`);
    candidates = [];
  }
  if (candidates.length > 0) ctx.stdout(`${candidates.join('\n')}\n`);
  return 0;
}
