// Where an MFA code comes from when --mfa-token gives none (aws-vault's order): the profile's mfa_process, else the
// prompt driver AWS_VAULT_PROMPT names (the terminal by default; ykman reads a YubiKey's OATH code; zenity, kdialog
// and osascript show a dialog). Each program's output is a one-time code: it is returned, never logged or quoted.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { helperOutput } from './helper-output.js';
import { InvalidEnvironmentError, MfaSourceError } from './errors.js';

type Env = Record<string, string | undefined>;

export const PROMPT_DRIVERS = ['terminal', 'ykman', 'zenity', 'kdialog', 'osascript'] as const;
export type PromptDriver = (typeof PROMPT_DRIVERS)[number];

/** A program to run for a code: a shell command (mfa_process) or a file with arguments (a prompt driver). */
export type CodeCommand = { shell: string } | { file: string; args: string[]; stdin: 'inherit' | 'ignore' };

/**
 * Pure: the prompt driver AWS_VAULT_PROMPT (or --prompt) names, undefined when it names none; a name it does not know
 * is refused. Whether its program is installed is asked only when a code is needed (installedDriver).
 */
export function promptDriver(env: Env): PromptDriver | undefined {
  const name = env.AWS_VAULT_PROMPT || undefined;
  if (name === undefined) return undefined;
  if (name === 'pass') {
    throw new InvalidEnvironmentError(
      'AWS_VAULT_PROMPT',
      name,
      'the pass prompt was removed from aws-vault; put mfa_process = pass otp <your mfa_serial> in the profile instead',
    );
  }
  if (!(PROMPT_DRIVERS as readonly string[]).includes(name)) {
    throw new InvalidEnvironmentError('AWS_VAULT_PROMPT', name, `expected one of ${PROMPT_DRIVERS.join(', ')}`);
  }
  return name as PromptDriver;
}

/**
 * The drivers aws-vault falls back to, in its order (the available ones sorted by name, the terminal passed over):
 * with no driver named, a run whose stdout is not a terminal, or that serves credentials in the background, asks the
 * first one installed rather than the terminal, where a person may not be looking.
 */
const FALLBACK_DRIVERS = ['kdialog', 'osascript', 'ykman', 'zenity'] as const;

/** The driver a code is asked with: the one named, else aws-vault's choice (FALLBACK_DRIVERS) or the terminal. */
export function chosenDriver(
  named: PromptDriver | undefined,
  avoidTerminal: boolean,
  env: Env,
  onPath: (program: string) => boolean = (p) => isOnPath(p, env.PATH),
): PromptDriver {
  if (named !== undefined) return named;
  return (avoidTerminal && FALLBACK_DRIVERS.find((driver) => onPath(driver))) || 'terminal';
}

/** Throws unless `driver`'s program is installed (on PATH), as aws-vault offers only the installed ones. */
export function installedDriver(driver: Exclude<PromptDriver, 'terminal'>, env: Env, onPath: (program: string) => boolean = (p) => isOnPath(p, env.PATH)): void {
  if (onPath(driver)) return;
  throw new MfaSourceError(
    'MFA_PROMPT_UNAVAILABLE',
    `the ${driver} prompt (AWS_VAULT_PROMPT or --prompt) needs the ${driver} program, which is not installed (not on PATH); install it, or name another driver (terminal asks on the terminal)`,
  );
}

/** Pure: the command a non-terminal driver runs for `serial`'s code, with aws-vault's ykman variables. */
export function driverCommand(driver: Exclude<PromptDriver, 'terminal'>, serial: string, env: Env): CodeCommand {
  const message = `Enter MFA code for ${serial}: `;
  switch (driver) {
    case 'ykman': {
      const account = env.YKMAN_OATH_CREDENTIAL_NAME || serial;
      const device = env.YKMAN_OATH_DEVICE_SERIAL ? ['--device', env.YKMAN_OATH_DEVICE_SERIAL] : [];
      // ykman 4 renamed `oath code` to `oath accounts code`; AWS_VAULT_YKMAN_VERSION selects the old form.
      const code = ['1', '2', '3'].includes(env.AWS_VAULT_YKMAN_VERSION ?? '') ? ['oath', 'code'] : ['oath', 'accounts', 'code'];
      // stdin stays the terminal's, so ykman can ask for the OATH password or to touch the key.
      return { file: 'ykman', args: [...device, ...code, '--single', account], stdin: 'inherit' };
    }
    case 'zenity':
      return { file: 'zenity', args: ['--entry', '--title', 'vault', '--text', message], stdin: 'ignore' };
    case 'kdialog':
      return { file: 'kdialog', args: ['--inputbox', message, '--title', 'vault'], stdin: 'ignore' };
    case 'osascript':
      return {
        file: 'osascript',
        args: ['-e', `text returned of (display dialog ${JSON.stringify(message)} default answer "" buttons {"OK", "Cancel"} default button 1)`],
        stdin: 'ignore',
      };
  }
}

const MAX_OUTPUT = 4096;

/**
 * Runs `command` and returns what it printed, trimmed. `what` names it in errors ("mfa_process", "the zenity MFA
 * prompt"); no error carries its output. stderr passes through, for the program's own messages.
 */
export async function readCode(command: CodeCommand, what: string, env: NodeJS.ProcessEnv): Promise<string> {
  const output = await helperOutput(command, {
    env,
    stdin: 'shell' in command ? 'inherit' : command.stdin,
    maxBytes: MAX_OUTPUT,
    fail: (detail) => new MfaSourceError('MFA_SOURCE_FAILED', `${what} failed: ${detail}`),
  });
  return output.trim();
}

function isOnPath(program: string, path: string | undefined): boolean {
  return (path ?? '').split(delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
