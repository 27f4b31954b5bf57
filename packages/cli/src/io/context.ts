import { closeSync, openSync } from 'node:fs';
import { vaultDir, vaultFilePath } from '@vault/core';
import { configPath, credentialsPath, expandHome } from '@vault/profiles';
import type { Prompter } from './prompt.js';
import { createRedactor, type Redactor } from './redact.js';
import { standardError, standardOutput } from './standard-streams.js';

/** Everything a command reads from the outside world, gathered once so commands stay testable. */
export interface Context {
  /** What vault reads: the environment, with the variables its global flags set (--prompt is AWS_VAULT_PROMPT). */
  env: NodeJS.ProcessEnv;
  /** What set a variable of `env`, for messages: the global flag that did (`--prompt`), else the variable's name. */
  settingName: (variable: string) => string;
  /** The environment vault was started with, which its child inherits (when it differs from `env`). */
  inheritedEnv?: NodeJS.ProcessEnv;
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
  /** Whether stdout is a terminal: aws-vault prefers a dialog for MFA codes when it is not. */
  stdoutIsTerminal: () => boolean;
  /** A hint for a person watching (stderr), left out when stderr is not a terminal so scripts' logs stay clean. */
  notice: (message: string) => void;
  /**
   * Shows a one-line status for a slow step on a terminal's stderr and returns the function that clears it;
   * without a terminal, nothing is written.
   */
  status: (message: string) => () => void;
}

/** The process's side of a run: its environment and where its output goes. Tests pass their own. */
export interface Io {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The terminal's width, for help text. */
  columns?: number;
  /** Whether stderr is a terminal (for hints and status lines meant for a person). */
  stderrIsTerminal?: boolean;
  /** Whether stdout is a terminal. */
  stdoutIsTerminal?: boolean;
  /**
   * Whether a prompt can reach a person; by default, whether the process has a terminal. A run in a test process
   * says false: the terminal the tests were started from is not the run's to prompt on.
   */
  interactive?: () => boolean;
}

export function processIo(): Io {
  return {
    env: process.env,
    stdout: (t) => standardOutput().write(t),
    stderr: (t) => standardError().write(t),
    // Getters: Node builds process.stdout/stderr on first use (a socket, a tty or a file stream), a few ms that a
    // `vault exec` printing nothing should not pay.
    get columns() {
      return standardOutput().columns;
    },
    get stderrIsTerminal() {
      return standardError().isTTY === true;
    },
    get stdoutIsTerminal() {
      return standardOutput().isTTY === true;
    },
  };
}

export function createContext(options: {
  debug: boolean;
  verbose?: boolean;
  env?: NodeJS.ProcessEnv;
  io?: Io;
  /** Variables set by vault's global flags: read by vault, not passed to its child. */
  settings?: Readonly<Record<string, string>>;
  /** The flag that set each of `settings`' variables (`--prompt` for AWS_VAULT_PROMPT). */
  settingFlags?: Readonly<Record<string, string>>;
}): Context {
  const io = options.io ?? processIo();
  const inherited = options.env ?? io.env;
  const flagged = options.settings !== undefined && Object.keys(options.settings).length > 0;
  const env = flagged ? { ...inherited, ...options.settings } : inherited;
  const home = homeOf(env);
  const redactor = createRedactor();
  const settingFlags = options.settingFlags;
  return {
    env,
    settingName: (variable) => settingFlags?.[variable] ?? variable,
    ...(flagged && { inheritedEnv: inherited }),
    // aws-vault expands a leading ~ in AWS_VAULT_FILE_DIR (often written in quotes, where the shell does not).
    vaultPath: vaultFilePath(expandHome(vaultDir(env, home), home)),
    configPath: configPath(env, home),
    credentialsPath: credentialsPath(env, home),
    prompter: promptOnDemand,
    clock: () => new Date(),
    redactor,
    debug: options.debug ? (m) => io.stderr(`vault[debug]: ${redactor.redact(m)}\n`) : () => {},
    verbose: options.verbose || options.debug ? (m) => io.stderr(`${redactor.redact(m)}\n`) : () => {},
    info: (m) => io.stderr(`${m}\n`),
    stdout: io.stdout,
    interactive: io.interactive ?? hasTerminal,
    stdoutIsTerminal: () => io.stdoutIsTerminal === true,
    notice: (m) => {
      if (io.stderrIsTerminal) io.stderr(`${m}\n`);
    },
    status: (m) => (io.stderrIsTerminal ? showStatus(io, m) : () => {}),
  };
}

/**
 * The home directory of a run: its own HOME (os.homedir() reads the process's, which is another one when `run` is
 * called in-process), else the user database's. node:os loads only then: a cached `vault exec` allocates close to
 * the amount at which V8 starts collecting, and the module is ~12 kB of it (docs/benchmarks.md, "Round 8").
 */
export function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || process.getBuiltinModule('node:os').homedir();
}

/** Writes the status without a newline; clearing returns the cursor to the line's start and erases the line. */
function showStatus(io: Io, message: string): () => void {
  io.stderr(message);
  let shown = true;
  return () => {
    if (shown) io.stderr('\r\x1b[K');
    shown = false;
  };
}

// The prompt module (and node:tty) loads only when a prompt is shown; most runs show none.
const terminal = async () => (await import('./prompt.js')).terminalPrompter;
const promptOnDemand: Prompter = {
  secret: async (message) => (await terminal()).secret(message),
  text: async (message) => (await terminal()).text(message),
  confirm: async (message, defaultValue) => (await terminal()).confirm(message, defaultValue),
  select: async (message, choices) => (await terminal()).select(message, choices),
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
