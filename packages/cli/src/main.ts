import { dispatch } from './argv/dispatch.js';
import { fastArgs } from './argv/fast-path.js';
import { processIo, type Io } from './io/context.js';
import { cliVersion } from './version.js';

// The whole command line, importable: argv in, exit status out, every byte of output through `io`. The commands
// and their options live in the command table (argv/commands.ts); bin.ts is the process entry.

/** Prints the one error line (and the stack with --debug) and returns the exit status. */
async function reportError(err: unknown, debug: boolean, io: Io): Promise<number> {
  // Ctrl-C at a prompt: the person knows, the shell shows nothing either.
  if ((err as { code?: unknown } | undefined)?.code === 'CANCELLED') return 130;
  // The catalogue loads only when there is an error to describe, not on the path of every `vault exec`.
  const { describeError } = await import('./errors/catalogue.js');
  const { line, exitCode, known } = describeError(err);
  io.stderr(`${line}${known || debug ? '' : ' (run with --debug for details)'}\n`);
  // A usage error (exit 2) says all there is; its stack would be the parser's. The --debug of such a line is often
  // the command's own, written without `--` (`vault exec P prog --debug`).
  if (debug && exitCode !== 2 && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return exitCode;
}

/** vault's own --debug: one before `--`, after which the words are the command's. */
function debugAsked(args: readonly string[]): boolean {
  const dashes = args.indexOf('--');
  return (dashes === -1 ? args : args.slice(0, dashes)).includes('--debug');
}

export async function run(args: readonly string[], io: Io = processIo()): Promise<number> {
  try {
    // A plain command line (`vault exec PROFILE -- CMD`, `vault export --format json P`) does not load yargs at all
    // (see argv/fast-path.ts).
    // yargs's --version (-v) alone on the line is the version command, answered without loading yargs (~130 ms).
    const fast = fastArgs(args.length === 1 && (args[0] === '--version' || args[0] === '-v') ? ['version'] : args);
    if (fast) return await dispatch(fast.spec, fast.parsed, io);
    const { parseAndRun } = await import('./argv/yargs-parser.js');
    return await parseAndRun(args, io, cliVersion());
  } catch (err) {
    return reportError(err, debugAsked(args), io);
  }
}
