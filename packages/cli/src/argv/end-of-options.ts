// `--` ends the options, as on any POSIX command line (and aws-vault's, through kingpin): `vault remove -f -- "$name"`.
// yargs keeps the words after it apart (exec's command needs them so), and never takes a positional from them, so a
// script's `vault add -- NAME` failed with "Not enough non-option arguments".
import { CliError } from '../errors/cli-error.js';
import { EXEC } from './commands.js';
import { commandWord } from './unknown-command.js';

/**
 * For every command but exec (whose words after `--` are its command), the words after `--` put back as plain
 * positionals. One beginning with `-` is refused: yargs would read it as an option wherever it stood.
 */
export function endOfOptions(args: readonly string[]): readonly string[] {
  const dashes = args.indexOf('--');
  const command = commandWord(args);
  if (dashes === -1 || command === undefined || command === EXEC.name) return args;
  const after = args.slice(dashes + 1);
  const optionLike = after.find((word) => word.startsWith('-') && word !== '-');
  if (optionLike !== undefined) {
    throw new CliError('USAGE', `vault ${command} takes no name beginning with "-" (${JSON.stringify(optionLike.slice(0, 40))} after \`--\`)`, 2);
  }
  return [...args.slice(0, dashes), ...after];
}
