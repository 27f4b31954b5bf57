// Which profiles' credential_process a vault process runs inside. aws-vault configs write the keys' own profile as
// `credential_process = aws-vault exec P --json` (or `export --format json P`): the vault that process starts must
// take P's stored keys rather than run the same process again, and a process that runs vault for P with no keys
// stored for P must stop with a line instead of starting vault again without end.

import { CredentialProcessError } from './errors.js';

/** The variable a credential_process is given: the profiles above it, one a line. */
export const CREDENTIAL_PROCESS_OF = 'VAULT_CREDENTIAL_PROCESS_OF';

/** The profiles whose credential_process this process runs inside (none when not started as one by vault). */
export function insideCredentialProcessOf(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env[CREDENTIAL_PROCESS_OF] ?? '').split('\n').filter(Boolean);
}

/**
 * Whether a profile's credential_process runs vault for that same profile (`vault export --format json P`, `vault
 * exec P --json`): aws-vault's configs write it on the profile holding P's keys, which aws-vault then uses without
 * running the process. With the vault locked, running it meant a second vault asking for the passphrase and handing
 * back P's long-lived keys (or a session of its own, with its own MFA code) instead of the session P's settings ask for.
 * Read as vault reads its command line, without its option table: the profile is the first word after the command
 * that is not an option's value, or the last word (before any `--`); a line it cannot read so (global options before
 * the command) is taken for another tool's, which only means the process runs, as any other does.
 */
export function runsVaultFor(command: string, profile: string): boolean {
  const after = vaultArguments(command);
  if (after === undefined) return false;
  const dashes = after.indexOf('--');
  const args = dashes === -1 ? after : after.slice(0, dashes);
  const isOption = (w: string | undefined) => w !== undefined && w.startsWith('-');
  const positionals = args.filter((w, i) => !isOption(w) && !(isOption(args[i - 1]) && !args[i - 1]?.includes('=')));
  return positionals[0] === profile || args.filter((w) => !isOption(w)).at(-1) === profile;
}

/** Whether a credential_process runs vault's own export or exec, for whichever profile. */
export function runsVault(command: string): boolean {
  return vaultArguments(command) !== undefined;
}

/** The words after `vault export` / `vault exec` in a command line, or undefined where it runs neither. */
function vaultArguments(command: string): string[] | undefined {
  const words = command.trim().split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, ''));
  const program = words.findIndex((w) => /(^|\/)vault(\.cjs)?$/.test(w));
  return program >= 0 && ['export', 'exec'].includes(words[program + 1] ?? '') ? words.slice(program + 2) : undefined;
}

/** The failure of a profile's process that runs vault for it when no keys are stored for it: said once, not looped. */
export function ownProcessWithoutKeys(profile: string): CredentialProcessError {
  return new CredentialProcessError(
    profile,
    `it runs vault for ${profile}, which has no keys stored, so vault would run it again without end; store the keys with \`vault add ${profile}\`, or point credential_process at another profile`,
  );
}
