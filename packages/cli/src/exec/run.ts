import { spawn, type ChildProcess } from 'node:child_process';
import { CliError } from '../errors/cli-error.js';
import { standardError, standardOutput } from '../io/standard-streams.js';
import { inForegroundGroup } from './foreground.js';

export interface RunOptions {
  /** Values replaced by <REDACTED> in the child's stdout and stderr, which then pass through vault (--redact). */
  redact?: readonly string[];
}

/** Signals a person or supervisor may send to vault that the child must receive instead. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
/** The ones a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\): the child gets them there too. */
const FROM_TERMINAL: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGQUIT']);

/**
 * Runs the command with inherited stdio (nothing buffered) and returns the status a shell would report:
 * the child's exit code, or 128+N when signal N killed it. Node has no execve, so vault stays the parent:
 * it forwards signals and waits for the child rather than dying first and orphaning it.
 *
 * node:child_process rather than execa: with inherited stdio nothing of execa is used here, and importing it
 * costs more than Node's own start-up, on the path every `vault exec` takes (docs/benchmarks.md).
 */
export async function runChild(command: string[], env: Record<string, string>, options: RunOptions = {}): Promise<number> {
  const [file, ...args] = command;
  if (!file) throw new CliError('USAGE', 'no command to run', 2);
  // Loaded only when asked for: the plain `vault exec` path stays as it is.
  const redacting = options.redact ? (await import('./redact-output.js')).redactingStream : undefined;
  // Handlers go in before the spawn: a signal arriving before them would kill vault and orphan the child. Node
  // runs a handler on a later turn of the event loop, by which time the synchronous spawn has returned.
  let child: ChildProcess | undefined;
  const forward = (s: NodeJS.Signals) => {
    const pid = child?.pid;
    // Sent by the terminal only when vault and the child are both in its foreground group; otherwise it was sent to
    // vault alone (a kill, a supervisor, an interactive shell child that took the terminal) and is passed on.
    if (pid === undefined || (FROM_TERMINAL.has(s) && inForegroundGroup(pid) && inForegroundGroup(process.pid))) return;
    child?.kill(s);
  };
  const handlers = FORWARDED.map((s) => [s, () => forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    child = spawn(file, args, { env, stdio: redacting ? ['inherit', 'pipe', 'pipe'] : 'inherit' });
    const started = child;
    const copied: Array<Promise<void>> = [];
    if (redacting && options.redact) {
      for (const [from, to] of [[started.stdout, standardOutput()], [started.stderr, standardError()]] as const) {
        if (!from) continue;
        const filter = redacting(options.redact);
        copied.push(
          new Promise((resolve) => {
            filter.once('end', resolve);
            // A reader that goes away (`vault exec --redact p -- yes | head`): the child's own pipe is closed too,
            // so its next write fails as it would have without vault in between, and the copy is over.
            to.once('error', () => {
              filter.unpipe(to);
              from.destroy();
              resolve();
            });
          }),
        );
        from.pipe(filter).pipe(to, { end: false });
      }
    }
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      started.on('error', (err) => {
        // Without a pid the command never started; any later error (a failed kill) does not end the wait.
        if (started.pid === undefined) reject(spawnError(file, err as NodeJS.ErrnoException));
      });
      started.once('exit', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
    });
    // Everything the child wrote reaches vault's own stdout and stderr before vault exits.
    await Promise.all(copied);
    // node:os only for a child a signal ended: the module is ~12 kB of what a cached `vault exec` allocates, close
    // to the amount at which V8 starts collecting (docs/benchmarks.md, "Round 8").
    if (signal) return 128 + (process.getBuiltinModule('node:os').constants.signals[signal] ?? 0);
    return code ?? 1;
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}

function spawnError(file: string, err: NodeJS.ErrnoException): CliError {
  if (err.code === 'ENOENT') return new CliError('EXEC_FAILED', `cannot run '${file}': command not found`, 127);
  if (err.code === 'EACCES') return new CliError('EXEC_FAILED', `cannot run '${file}': permission denied`, 126);
  return new CliError('EXEC_FAILED', `cannot run '${file}'${err.code ? ` (${err.code})` : ''}`, 126);
}
