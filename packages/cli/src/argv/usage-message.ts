// yargs words a wrong command line in its parser's terms: "Unknown argument: bogus" (the dashes gone), "Not enough
// non-option arguments: got 0, need at least 1" (which argument, it does not say). Said instead in the words of the
// command line typed, naming what is missing.
import { commandOf } from './command-words.js';

/** The one-line usage message for yargs's `message` about `args`; a message it does not know is left as it is. */
export function usageMessage(message: string, args: readonly string[]): string {
  const named = commandOf(args);
  const spec = named.command;
  // The subject of the line after "vault: ": the command as typed, or vault itself.
  const command = spec ? named.typed.join(' ') : 'vault';
  const unknown = /^Unknown arguments?: (.+)$/s.exec(message);
  if (unknown) {
    const names = (unknown[1] as string).split(', ');
    const options = names.map((name) => optionSpelling(name, args));
    if (options.every((o) => o !== undefined)) return `${command} has no option ${options.join(', ')}`;
    return `${command} takes no ${names.map((n, i) => options[i] ?? JSON.stringify(n)).join(', ')} there`;
  }
  if (/^Not enough non-option arguments/.test(message) && spec) {
    const required = spec.positionals.filter((p) => p.required).map((p) => p.name.toUpperCase());
    if (required.length > 0) return `${command} needs ${required.join(' and ')}: vault ${command} ${required.join(' ')}`;
  }
  return message;
}

/**
 * How the line spelled option `name` (`--bogus`, `--zz=1` as `--zz`, `--no-bogus`, `-z`), before any `--`; undefined
 * for a plain word. A one-letter name is an option only where no plain word is that letter (`remove -f p f`).
 */
function optionSpelling(name: string, args: readonly string[]): string | undefined {
  const dashes = args.indexOf('--');
  const line = dashes === -1 ? args : args.slice(0, dashes);
  const long = line.find((a) => [`--${name}`, `--no-${name}`].includes(a.split('=', 1)[0] as string));
  if (long !== undefined) return long.split('=', 1)[0];
  if (name.length !== 1 || line.includes(name)) return undefined;
  return line.some((a) => /^-[^-]/.test(a) && a.includes(name)) ? `-${name}` : undefined;
}
