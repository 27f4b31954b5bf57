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
