import { closeSync, openSync } from 'node:fs';
import { vaultDir, vaultFilePath } from '@vault/core';
import { configPath, credentialsPath, expandHome } from '@vault/profiles';
import type { Prompter } from './prompt.js';
import { createRedactor, type Redactor } from './redact.js';

/** Everything a command reads from the outside world, gathered once so commands stay testable. */
export interface Context {
  env: NodeJS.ProcessEnv;
  vaultPath: string;
  configPath: string;
  credentialsPath: string;
  prompter: Prompter;
  clock: () => Date;
  /** Registers values that must never be printed, even by --debug. */
  redactor: Redactor;
  debug: (message: string) => void;
  /** --verbose (implied by --debug): what vault does for the user, such as each role it switches to; stderr. */
  verbose: (message: string) => void;
  /** Progress and confirmations for people: stderr, so stdout stays clean for scripts. */
  info: (message: string) => void;
  stdout: (text: string) => void;
  /** Whether prompts can be shown (a terminal is reachable). */
  interactive: () => boolean;
}

/** The process's side of a run: its environment and where its output goes. Tests pass their own. */
export interface Io {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The terminal's width, for help text. */
  columns?: number;
}

export function processIo(): Io {
  return {
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    columns: process.stdout.columns,
  };
}

export function createContext(options: { debug: boolean; verbose?: boolean; env?: NodeJS.ProcessEnv; io?: Io }): Context {
  const io = options.io ?? processIo();
  const env = options.env ?? io.env;
  const redactor = createRedactor();
  return {
    env,
    // aws-vault expands a leading ~ in AWS_VAULT_FILE_DIR (often written in quotes, where the shell does not).
    vaultPath: vaultFilePath(expandHome(vaultDir(env))),
    configPath: configPath(env),
    credentialsPath: credentialsPath(env),
    prompter: promptOnDemand,
    clock: () => new Date(),
    redactor,
    debug: options.debug ? (m) => io.stderr(`vault[debug]: ${redactor.redact(m)}\n`) : () => {},
    verbose: options.verbose || options.debug ? (m) => io.stderr(`${redactor.redact(m)}\n`) : () => {},
    info: (m) => io.stderr(`${m}\n`),
    stdout: io.stdout,
    interactive: hasTerminal,
  };
}

// The prompt module (and node:tty) loads only when a prompt is shown; most runs show none.
const terminal = async () => (await import('./prompt.js')).terminalPrompter;
const promptOnDemand: Prompter = {
  secret: async (message) => (await terminal()).secret(message),
  text: async (message) => (await terminal()).text(message),
  confirm: async (message, defaultValue) => (await terminal()).confirm(message, defaultValue),
};

function hasTerminal(): boolean {
  if (process.stdin.isTTY && process.stderr.isTTY) return true;
  // Without a controlling terminal, opening /dev/tty fails (ENXIO); the prompt module relies on the same test.
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}
