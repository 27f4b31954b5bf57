// yargs words a wrong command line in its parser's terms: "Unknown argument: bogus" (the dashes gone), "Not enough
// non-option arguments: got 0, need at least 1" (which argument, it does not say). Said instead in the words of the
// command line typed, naming what is missing.
import { COMMANDS } from './commands.js';
import type { CommandSpec } from './spec.js';
import { commandWord } from './unknown-command.js';

/** The one-line usage message for yargs's `message` about `args`; a message it does not know is left as it is. */
export function usageMessage(message: string, args: readonly string[]): string {
  const spec = commandOf(args);
  // The subject of the line after "vault: ": the command as typed, or vault itself.
  const command = spec ? spec.path : 'vault';
  const unknown = /^Unknown arguments?: (.+)$/s.exec(message);
  if (unknown) {
    const names = (unknown[1] as string).split(', ');
    const options = names.map((name) => optionSpelling(name, args));
    if (options.every((o) => o !== undefined)) return `${command} has no option ${options.join(', ')}`;
    return `${command} takes no ${names.map((n, i) => options[i] ?? JSON.stringify(n)).join(', ')} there`;
  }
  if (/^Not enough non-option arguments/.test(message) && spec) {
    const required = spec.command.positionals.filter((p) => p.required).map((p) => p.name.toUpperCase());
    if (required.length > 0) return `${command} needs ${required.join(' and ')}: vault ${command} ${required.join(' ')}`;
  }
  return message;
}

/** The command (or subcommand) the line names, with its words: `config set-role`. */
function commandOf(args: readonly string[]): { command: CommandSpec; path: string } | undefined {
  const name = commandWord(args);
  const command = COMMANDS.find((c) => c.name === name || c.aliases?.includes(name ?? ''));
  if (!command) return undefined;
  const next = args[args.indexOf(name as string) + 1];
  const sub = command.subcommands?.find((c) => c.name === next);
  return sub ? { command: sub, path: `${command.name} ${sub.name}` } : { command, path: command.name };
}

/** How the line spelled option `name` (`--bogus`, `--zz=1` as `--zz`, `-z`), before any `--`; undefined for a plain word. */
function optionSpelling(name: string, args: readonly string[]): string | undefined {
  const dashes = args.indexOf('--');
  const options = (dashes === -1 ? args : args.slice(0, dashes)).filter((a) => a.startsWith('-'));
  const long = options.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (long !== undefined) return long.split('=', 1)[0];
  return options.some((a) => !a.startsWith('--') && a.slice(1).includes(name)) && name.length === 1 ? `-${name}` : undefined;
}
