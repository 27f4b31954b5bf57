import { openSync } from 'node:fs';
import tty from 'node:tty';
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
  const input = new tty.ReadStream(fd);
  const output = new tty.WriteStream(fd);
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

async function withTerminal<T>(ask: (t: Terminal) => Promise<T>): Promise<T> {
  const terminal = openTerminal();
  try {
    return await ask(terminal);
  } catch (err) {
    // Ctrl-C inside a prompt: leave like the shell would, without a stack trace.
    if (err instanceof Error && err.name === 'ExitPromptError') process.exit(130);
    throw err;
  } finally {
    terminal.close();
  }
}

export const terminalPrompter: Prompter = {
  async secret(message) {
    const { password } = await import('@inquirer/prompts');
    return withTerminal((t) => password({ message, theme }, { input: t.input, output: t.output }));
  },
  async text(message) {
    const { input } = await import('@inquirer/prompts');
    return withTerminal((t) => input({ message, theme }, { input: t.input, output: t.output }));
  },
  async confirm(message, defaultValue = false) {
    const { confirm } = await import('@inquirer/prompts');
    return withTerminal((t) => confirm({ message, default: defaultValue, theme }, { input: t.input, output: t.output }));
  },
  async select(message, choices) {
    const { select } = await import('@inquirer/prompts');
    return withTerminal((t) =>
      select({ message, choices: choices.map((value) => ({ value })), pageSize: 15, theme }, { input: t.input, output: t.output }),
    );
  },
};
