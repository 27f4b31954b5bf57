import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type Env } from './process.js';

/** A command running on a real pseudo-terminal (a detached tmux session), driven like a person would. */
export interface Tty {
  /** The visible screen now. */
  screen(): Promise<string>;
  /** Polls the screen until it matches; returns that screen. Fails with the screen it last saw. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Types literally (no key names interpreted). */
  type(text: string): Promise<void>;
  enter(): Promise<void>;
  /** Presses a key by its tmux name (Down, Up, Escape, C-c). */
  press(key: string): Promise<void>;
  /** What a person does at a prompt: waits until the screen matches, types the text, presses Enter. */
  answer(prompt: string | RegExp, text: string): Promise<void>;
  /** Waits for the command to finish and returns its exit status. */
  exitCode(timeoutMs?: number): Promise<number>;
  /** Ends the tmux server (and so the command) and removes the session's files. */
  kill(): Promise<void>;
}

let sessions = 0;

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// tmux sets these for the pane itself; copying the test runner's values would lie to the command.
const PANE_OWNED = new Set(['TERM', 'TMUX', 'TMUX_PANE', 'COLUMNS', 'LINES']);

/**
 * Starts `command` (argv) in a 200x50 tmux pane with exactly `env` (plus tmux's TERM). The environment goes
 * into a 0600 script file in `dir` (default env.HOME), never onto a command line where `ps` would show it.
 * Each call uses its own tmux socket (-L), so a developer's tmux is never touched.
 */
export async function tty(command: readonly string[], env: Env, options: { dir?: string } = {}): Promise<Tty> {
  const dir = await mkdtemp(join(options.dir ?? env.HOME ?? tmpdir(), 'tty-'));
  const script = join(dir, 'run.sh');
  const exitFile = join(dir, 'exit-status');
  const exports = Object.entries(env)
    .filter(([key]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !PANE_OWNED.has(key))
    .map(([key, value]) => `export ${key}=${shellQuote(value)}`);
  await writeFile(
    script,
    [
      ...exports,
      command.map(shellQuote).join(' '),
      // Written under another name then renamed, so a reader never sees a half-written status.
      `echo $? > ${shellQuote(`${exitFile}.tmp`)} && mv ${shellQuote(`${exitFile}.tmp`)} ${shellQuote(exitFile)}`,
      // Keep the pane alive so its last screen can still be read.
      'exec sleep 86400',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  const socket = `vault-e2e-${process.pid}-${++sessions}-${randomBytes(4).toString('hex')}`;
  const session = 'e2e';
  // The tmux server copies this environment into the pane; keep it minimal, the script sets the rest.
  const tmuxEnv: Env = { PATH: env.PATH ?? process.env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? dir, LANG: 'C.UTF-8' };
  const tmux = async (...args: string[]) => {
    const result = await run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env: tmuxEnv, timeoutMs: 10_000 });
    if (result.code !== 0) throw new Error(`tmux ${args[0]} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  };

  await tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', `sh ${shellQuote(script)}`);

  const screen = () => tmux('capture-pane', '-p', '-J', '-t', session);
  const exitStatus = async () => {
    try {
      return Number((await readFile(exitFile, 'utf8')).trim());
    } catch {
      return undefined;
    }
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const term: Tty = {
    screen,
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      for (;;) {
        last = await screen();
        if (typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last)) return last;
        if (Date.now() > deadline) {
          const status = await exitStatus();
          throw new Error(`timed out waiting for ${String(pattern)}${status === undefined ? '' : ` (command exited ${status})`}; screen:\n${last}`);
        }
        await sleep(100);
      }
    },
    async type(text) {
      await tmux('send-keys', '-t', session, '-l', '--', text);
    },
    async enter() {
      await tmux('send-keys', '-t', session, 'Enter');
    },
    async press(key) {
      await tmux('send-keys', '-t', session, key);
    },
    async answer(prompt, text) {
      await term.waitFor(prompt);
      await term.type(text);
      await term.enter();
    },
    async exitCode(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await exitStatus();
        if (status !== undefined) return status;
        if (Date.now() > deadline) throw new Error(`command still running; screen:\n${await screen()}`);
        await sleep(100);
      }
    },
    async kill() {
      await run('tmux', ['-L', socket, '-f', '/dev/null', 'kill-server'], { env: tmuxEnv, timeoutMs: 10_000 });
      await rm(dir, { recursive: true, force: true });
    },
  };
  return term;
}
