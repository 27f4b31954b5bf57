// Which profiles' credential_process a vault process runs inside. aws-vault configs write the keys' own profile as
// `credential_process = aws-vault exec P --json` (or `export --format json P`): the vault that process starts must
// take P's stored keys rather than run the same process again, and a process that runs vault for P with no keys
// stored for P must stop with a line instead of starting vault again without end.

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
 */
export function runsVaultFor(command: string, profile: string): boolean {
  const words = command.trim().split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, ''));
  const program = words.findIndex((w) => /(^|\/)vault(\.cjs)?$/.test(w));
  return program >= 0 && ['export', 'exec'].includes(words[program + 1] ?? '') && words.slice(program + 2).includes(profile);
}
