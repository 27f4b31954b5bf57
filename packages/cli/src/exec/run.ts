import { constants } from 'node:os';
import { CliError } from '../errors/cli-error.js';

/** Signals a person or supervisor may send to vault that the child must receive instead. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Runs the command with inherited stdio (nothing buffered) and returns the status a shell would report:
 * the child's exit code, or 128+N when signal N killed it. Node has no execve, so vault stays the parent:
 * it forwards signals and waits for the child rather than dying first and orphaning it.
 *
 * execa spawns it (cross-platform spawning, e.g. `.cmd` shims on Windows). It is bundled (scripts/bundle.mjs) and
 * loaded ahead (loadExeca); what it still costs at start is in docs/benchmarks.md.
 */
export async function runChild(command: string[], env: Record<string, string>): Promise<number> {
  const [file, ...args] = command;
  if (!file) throw new CliError('USAGE', 'no command to run', 2);
  const { execa } = await loadExeca();
  // Handlers go in before the spawn: a signal arriving before them would kill vault and orphan the child. Node
  // runs a handler on a later turn of the event loop, by which time the synchronous spawn has returned.
  let child: { kill: (signal: NodeJS.Signals) => unknown } | undefined;
  const handlers = FORWARDED.map((s) => [s, () => void child?.kill(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    const subprocess = execa(file, args, {
      env,
      // The child gets exactly `env`: execa would otherwise merge in vault's own environment, passphrases included.
      extendEnv: false,
      stdio: 'inherit',
      reject: false,
      // What the child does with a forwarded signal is its own affair: no SIGKILL after a grace period, and no
      // exit hook that kills it when vault ends.
      forceKillAfterDelay: false,
      cleanup: false,
    });
    child = subprocess;
    const result = await subprocess;
    if (result.signal) return 128 + (constants.signals[result.signal] ?? 0);
    if (result.exitCode === undefined) throw spawnError(file, 'code' in result ? result.code : undefined);
    return result.exitCode;
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}

let execaModule: Promise<typeof import('execa')> | undefined;

/**
 * Starts loading execa (compiling it is most of its cost) so that it overlaps the file and agent reads before
 * the spawn; runChild then finds it loaded. A failure surfaces where runChild awaits it.
 */
export function loadExeca(): Promise<typeof import('execa')> {
  execaModule ??= import('execa');
  execaModule.catch(() => {});
  return execaModule;
}

function spawnError(file: string, code: string | undefined): CliError {
  if (code === 'ENOENT') return new CliError('EXEC_FAILED', `cannot run '${file}': command not found`, 127);
  if (code === 'EACCES') return new CliError('EXEC_FAILED', `cannot run '${file}': permission denied`, 126);
  return new CliError('EXEC_FAILED', `cannot run '${file}'${code ? ` (${code})` : ''}`, 126);
}
