// Which command a command line names, read from the command table with options and their values left out: what
// Tab completes for (completion.ts) and what a usage error is about (usage-message.ts).
import { COMMANDS } from './commands.js';
import { findCommand, GLOBAL_OPTIONS, valueSpellings, type CommandSpec, type ProfileSource } from './spec.js';

function allCommands(table: readonly CommandSpec[]): CommandSpec[] {
  return table.flatMap((c) => [c, ...allCommands(c.subcommands ?? [])]);
}

/** Options that take the next word as their value, so that word is not an argument; and the option's profiles. */
export const VALUE_OPTIONS = new Map<string, ProfileSource | undefined>(
  [GLOBAL_OPTIONS, ...allCommands(COMMANDS).map((c) => c.options)].flatMap((options) => valueSpellings(options).map(([spelled, o]) => [spelled, o.profiles])),
);

/**
 * The command `words` name (the subcommand, for a command of subcommands once one is named), the words that name it
 * as typed (`ls`, `config set-role`), and its arguments so far.
 */
export function commandOf(words: readonly string[]): { command: CommandSpec | undefined; typed: string[]; rest: string[] } {
  const args: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (VALUE_OPTIONS.has(word)) i++;
    else if (!word.startsWith('-')) args.push(word);
  }
  const [name, ...rest] = args;
  const command = findCommand(COMMANDS, name);
  const typed = name === undefined ? [] : [name];
  // A command of subcommands is the command until one is named.
  if (!command?.subcommands || rest.length === 0) return { command, typed, rest };
  const [sub, ...after] = rest;
  return { command: findCommand(command.subcommands, sub), typed: [...typed, sub as string], rest: after };
}
