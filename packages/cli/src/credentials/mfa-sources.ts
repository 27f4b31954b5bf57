// Running what gives an MFA code when --mfa-token gives none (aws-vault's order): the profile's mfa_process, else a
// prompt driver (prompt-driver.ts chooses it: ykman reads a YubiKey's OATH code; zenity, kdialog and osascript show
// a dialog). Each program's output is a one-time code: it is returned, never logged or quoted.
import { helperOutput } from './helper-output.js';
import { MfaSourceError } from './errors.js';
import type { PromptDriver } from './prompt-driver.js';

type Env = Record<string, string | undefined>;

/** A program to run for a code: a shell command (mfa_process) or a file with arguments (a prompt driver). */
export type CodeCommand = { shell: string } | { file: string; args: string[]; stdin: 'inherit' | 'ignore' };

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

