import { spawn, type ChildProcess } from 'node:child_process';

export type Env = Record<string, string>;

export interface RunOptions {
  /** The complete environment of the child: nothing is inherited from the test process. */
  env: Env;
  /** Written to stdin, which is then closed. Without it stdin is closed at once, so a stray read sees EOF. */
  input?: string;
  cwd?: string;
  /** The whole process group is killed with SIGKILL after this long (default 60 s). */
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface Started {
  child: ChildProcess;
  result: Promise<RunResult>;
  /** Everything the child has written so far. */
  output(): { stdout: string; stderr: string };
}

/**
 * Spawns `command` in its own session (detached = setsid): it has no controlling terminal, as under cron or
 * CI, so a CLI cannot fall back to prompting on /dev/tty, and a timeout can kill the whole process group.
 */
export function start(command: string, args: readonly string[], options: RunOptions): Started {
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // A child that exits without reading its input must not crash the test with EPIPE.
  child.stdin!.on('error', () => {});
  child.stdin!.end(options.input ?? '');

  const result = new Promise<RunResult>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // 'close' (not 'exit') so that all output has been read.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { child, result, output: () => ({ stdout, stderr }) };
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return start(command, args, options).result;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Resolves once `text` has appeared on the child's stdout (or rejects when it exits or the time is up). */
export function waitForOutput(started: Started, text: string, timeoutMs = 20_000): Promise<void> {
  const { child } = started;
  return new Promise((resolve, reject) => {
    const failure = (why: string) => {
      const { stdout, stderr } = started.output();
      return new Error(`${why} ${JSON.stringify(text)}\n--- stdout\n${stdout}--- stderr\n${stderr}`);
    };
    const timer = setTimeout(() => done(failure('timed out waiting for')), timeoutMs);
    const onData = () => {
      if (started.output().stdout.includes(text)) done();
    };
    const onClose = () => done(failure('process exited before printing'));
    function done(err?: Error) {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('close', onClose);
      if (err) reject(err);
      else resolve();
    }
    child.stdout!.on('data', onData);
    child.on('close', onClose);
    onData();
  });
}
