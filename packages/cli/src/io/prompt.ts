import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { CliError } from '../errors/cli-error.js';

/** What commands need from a person at a terminal; injected so commands can be tested without one. */
export interface Prompter {
  /** Hidden input (nothing echoed). */
  secret(message: string): Promise<string>;
  text(message: string): Promise<string>;
  confirm(message: string, defaultValue?: boolean): Promise<boolean>;
  /** One of `choices`, picked with the arrow keys. */
  select(message: string, choices: readonly string[]): Promise<string>;
}

interface Terminal {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  close(): void;
}

/**
 * Prompts go to the controlling terminal, not stdout: stdout may be captured (`credential_process`,
 * `$(vault export …)`), and stdin may be a pipe feeding the child. Falling back to /dev/tty is what lets a
 * passphrase prompt reach the user when vault runs under the AWS CLI.
 */
function openTerminal(): Terminal {
  if (process.stdin.isTTY && process.stderr.isTTY) {
    return { input: process.stdin, output: process.stderr, close: () => process.stdin.pause() };
  }
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new CliError('NO_TTY', 'a prompt is needed but there is no terminal to ask on: run from a terminal');
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  return {
    input,
    output,
    close: () => {
      input.destroy();
      output.destroy();
    },
  };
}

const theme = { prefix: '' };

/**
 * The most keys one answer may take: far above any key, secret, code or passphrase. A prompt redraws itself on every
 * key, so a paste of a whole file took a millisecond a character (300 kB: minutes) with Ctrl-C queued behind it. A
 * visible text answer (an access key id, a code) is redrawn whole each time, its cost growing with the square of its
 * length (4,000 keys: 9 s and 9 MB written to the terminal), so it stops far sooner: an access key id is at most 128
 * characters. A choice's keys are arrows, which a long list of profiles needs many of.
 */
export const MAX_PROMPT_KEYS = { any: 4096, text: 512 } as const;

async function withTerminal<T>(ask: (context: PromptContext) => Promise<T>, maxKeys: number = MAX_PROMPT_KEYS.any): Promise<T> {
  const terminal = openTerminal();
  // Ctrl-D on an empty answer closes inquirer's readline, which leaves the prompt waiting on nothing: the process
  // would end silently. After a Ctrl-D, a readline that has let go of the terminal's raw mode has closed, and the
  // prompt is aborted.
  const ended = new AbortController();
  let settled = false;
  let keys = 0;
  const raw = () => (terminal.input as Partial<ReadStream>).isRaw;
  const onKeypress = (_: unknown, key: { ctrl?: boolean; name?: string } | undefined) => {
    // Counted before the prompt sees the key (this listener comes first), so a long paste stops here.
    if (++keys > maxKeys && !ended.signal.aborted) ended.abort('too long');
    if (key?.ctrl !== true || key.name !== 'd') return;
    setImmediate(() => {
      if (!settled && raw() === false) ended.abort();
    });
  };
  // readline pauses its input on SIGCONT (Ctrl-Z, then fg) and leaves resuming it to its owner, which inquirer does
  // not do: without this the prompt would wait on nothing and the command end.
  const onPause = () =>
    setImmediate(() => {
      if (!settled && !ended.signal.aborted && raw() === true) terminal.input.resume();
    });
  terminal.input.on('keypress', onKeypress);
  terminal.input.on('pause', onPause);
  try {
    return await ask({ input: terminal.input, output: terminal.output, signal: ended.signal });
  } catch (err) {
    if (err instanceof Error && err.name === 'ExitPromptError') {
      // Ctrl-C inside a prompt: the command ends as the shell would end it (130, nothing printed), once what it holds
      // is put away (a base session opened before a later role's prompt). Inquirer's other exits come as the process
      // is already leaving, with nothing left to unwind.
      if (/SIGINT/.test(err.message)) throw new CliError('CANCELLED', '', 130);
      process.exit(130);
    }
    if (ended.signal.reason === 'too long') {
      throw new CliError('PROMPT_TOO_LONG', `more than ${maxKeys} keys were typed or pasted at the prompt, so none was taken`);
    }
    if (ended.signal.aborted) throw new CliError('PROMPT_CLOSED', 'the input ended (Ctrl-D) before the prompt was answered');
    throw err;
  } finally {
    settled = true;
    terminal.input.off('keypress', onKeypress);
    terminal.input.off('pause', onPause);
    terminal.close();
  }
}

interface PromptContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal: AbortSignal;
}

export const terminalPrompter: Prompter = {
  async secret(message) {
    const { password } = await import('@inquirer/prompts');
    return withTerminal((context) => password({ message, theme }, context));
  },
  async text(message) {
    const { input } = await import('@inquirer/prompts');
    return withTerminal((context) => input({ message, theme }, context), MAX_PROMPT_KEYS.text);
  },
  async confirm(message, defaultValue = false) {
    const { confirm } = await import('@inquirer/prompts');
    return withTerminal((context) => confirm({ message, default: defaultValue, theme }, context));
  },
  async select(message, choices) {
    const { select } = await import('@inquirer/prompts');
    return withTerminal((context) => select({ message, choices: choices.map((value) => ({ value })), pageSize: 15, theme }, context));
  },
};
