// `vault exec P aws s3 ls --recursive` without `--`: the parser would take --recursive (or worse, --region) as one of
// exec's own options. Said in one line instead of an "unknown argument" or a silently stolen option.
import { CliError } from '../errors/cli-error.js';
import { EXEC } from './commands.js';
import { GLOBAL_OPTIONS, valueSpellings } from './spec.js';

/** Throws the usage error when an exec command line has its command before `--` and an option after that command. */
export function checkCommandAfterDashes(args: readonly string[]): void {
  if (args[0] !== 'exec') return;
  const takesValue = new Set([...valueSpellings(GLOBAL_OPTIONS), ...valueSpellings(EXEC.options)].map(([spelled]) => spelled));
  const positionals: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const word = args[i] as string;
    if (word === '--') return;
    if (word.startsWith('-') && word !== '-') {
      if (positionals.length >= 2) {
        // Only the program's name is repeated: its arguments may hold something secret.
        const [profile, program] = positionals;
        throw new CliError('USAGE', `put the command after \`--\` (vault exec ${profile} -- ${program} ...), or vault reads its options as its own`, 2);
      }
      if (takesValue.has(word)) i++;
    } else {
      positionals.push(word);
    }
  }
}
