import { constants } from 'node:os';
import { CliError } from '../cli-error.js';

/** Signals a person or supervisor may send to vault that the child must receive instead. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Runs the command with inherited stdio (nothing buffered) and returns the status a shell would report:
 * the child's exit code, or 128+N when signal N killed it. Node has no execve, so vault stays the parent:
 * it forwards signals and waits for the child rather than dying first and orphaning it.
 */
export async function runChild(command: string[], env: Record<string, string>): Promise<number> {
  const [file, ...args] = command;
  if (!file) throw new CliError('USAGE', 'no command to run', 2);
  const { execa } = await import('execa');
  // Handlers go in before the spawn: a signal arriving between spawn and registration would kill vault and
  // orphan the child. A signal that lands before the child exists is delivered once it does.
  let child: ReturnType<typeof execa> | undefined;
  const pending: NodeJS.Signals[] = [];
  const forward = (signal: NodeJS.Signals) => () => {
    if (child) child.kill(signal);
    else pending.push(signal);
  };
  const handlers = FORWARDED.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    child = execa(file, args, { env, extendEnv: false, stdio: 'inherit', reject: false, cleanup: false });
    for (const s of pending) child.kill(s);
    const result = await child;
    if (result.signal) return 128 + (constants.signals[result.signal] ?? 0);
    if (typeof result.exitCode === 'number') return result.exitCode;
    throw spawnError(file, result.message ?? '');
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}

function spawnError(file: string, message: string): CliError {
  if (message.includes('ENOENT')) return new CliError('EXEC_FAILED', `cannot run '${file}': command not found`, 127);
  if (message.includes('EACCES')) return new CliError('EXEC_FAILED', `cannot run '${file}': permission denied`, 126);
  return new CliError('EXEC_FAILED', `cannot run '${file}'`, 126);
}
