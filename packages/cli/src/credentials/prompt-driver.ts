// Which prompt driver asks for an MFA code when neither --mfa-token nor mfa_process gives it: the one AWS_VAULT_PROMPT
// (or --prompt) names, else aws-vault's choice. Names and PATH only: running a driver is mfa-sources.ts's job, so
// checking a --prompt given to any command loads no process machinery.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InvalidEnvironmentError, MfaSourceError } from './errors.js';

type Env = Record<string, string | undefined>;

export const PROMPT_DRIVERS = ['terminal', 'ykman', 'zenity', 'kdialog', 'osascript'] as const;
export type PromptDriver = (typeof PROMPT_DRIVERS)[number];

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
 * first one installed rather than the terminal, where a person may not be looking. A dialog needs a display: zenity
 * and kdialog count only with DISPLAY or WAYLAND_DISPLAY set (an ssh session has neither).
 */
const FALLBACK_DRIVERS = ['kdialog', 'osascript', 'ykman', 'zenity'] as const;
const NEEDS_DISPLAY: ReadonlySet<string> = new Set(['kdialog', 'zenity']);

/** The driver a code is asked with: the one named, else aws-vault's choice (FALLBACK_DRIVERS) or the terminal. */
export function chosenDriver(
  named: PromptDriver | undefined,
  avoidTerminal: boolean,
  env: Env,
  onPath: (program: string) => boolean = (p) => isOnPath(p, env.PATH),
): PromptDriver {
  if (named !== undefined) return named;
  if (!avoidTerminal) return 'terminal';
  const display = !!(env.DISPLAY || env.WAYLAND_DISPLAY);
  return FALLBACK_DRIVERS.find((driver) => (display || !NEEDS_DISPLAY.has(driver)) && onPath(driver)) ?? 'terminal';
}

/** Throws unless `driver`'s program is installed (on PATH); `source` is what named it (the variable or --prompt). */
export function installedDriver(
  driver: Exclude<PromptDriver, 'terminal'>,
  env: Env,
  source = 'AWS_VAULT_PROMPT',
  onPath: (program: string) => boolean = (p) => isOnPath(p, env.PATH),
): void {
  if (onPath(driver)) return;
  throw new MfaSourceError(
    'MFA_PROMPT_UNAVAILABLE',
    `${source} ${driver} needs the ${driver} program, which is not installed (not on PATH); install it, or name another driver (terminal asks on the terminal)`,
  );
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
