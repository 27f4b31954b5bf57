// The error catalogue: every error the CLI can print, mapped to a fix hint and an exit code. It is the one place
// that knows how a failure is told to the user, and scripts/gen-troubleshooting.mjs renders it into
// docs/troubleshooting.md so the docs cannot drift from the code.

export interface CatalogueEntry {
  /** What typically causes it. */
  cause: string;
  /** What to do, appended to the one-line message. Empty when the message already says it. */
  fix: string;
  exitCode?: number;
}

export const CATALOGUE: Record<string, CatalogueEntry> = {
  WRONG_PASSPHRASE: {
    cause:
      'The passphrase typed (or in AWS_VAULT_FILE_PASSPHRASE) does not open the vault. A deliberate edit of the ' +
      "vault header's salt or KDF parameters (its checksum recomputed) looks the same: no check can tell the two " +
      'apart without the right passphrase.',
    fix: 'Try again; check AWS_VAULT_FILE_PASSPHRASE if it is set. If you are sure of it, the vault header was altered: restore the vault file from a backup.',
  },
  VAULT_CORRUPT: {
    cause: 'The vault file was changed or damaged after it was written (disk error, manual edit, tampering).',
    fix: 'Restore the vault file from a backup, or move it aside and `vault add` your keys again.',
  },
  VAULT_TOO_NEW: {
    cause: 'The vault file was written by a newer version of vault, in a format this one cannot read; it is not damaged.',
    fix: 'Use the newer vault (upgrade this one); leave the file as it is.',
  },
  VAULT_NOT_FOUND: {
    cause: 'No vault file exists yet in the vault directory.',
    fix: 'Run `vault add PROFILE` to create it (or set AWS_VAULT_FILE_DIR to where it lives).',
  },
  VAULT_EXISTS: { cause: 'A vault file is already there.', fix: 'Use the existing vault.' },
  VAULT_LOCKED: {
    cause: 'Another vault process held the vault lock for too long.',
    fix: 'Wait for the other vault command to finish and try again.',
  },
  VAULT_PERMISSIONS: {
    cause: 'The vault file or directory is accessible by other users, belongs to another user (root running vault on a user\'s vault), is a symlink, or is not a regular file.',
    fix: '',
  },
  VAULT_KEY_STALE: {
    cause: 'The vault was re-sealed (`vault passphrase`) after this command, or the unlock agent, got its key.',
    fix: 'Run the command again with the new passphrase; `vault unlock` with it lets a running `vault exec --server` renew again.',
  },
  AGENT_SOCKET: {
    cause: 'The vault agent\'s socket cannot be placed safely: its directory is open to other users or not yours, ' +
      'something else is at the socket path, or the path is too long for a unix socket.',
    fix: '',
  },
  AGENT_START: {
    cause: '`vault unlock` started the agent process but it did not come up.',
    fix: 'Run `vault unlock --debug`; until then commands keep asking for the passphrase.',
  },
  AGENT_ERROR: {
    cause: 'The vault agent failed while serving a request.',
    fix: 'Run `vault lock`, then `vault unlock` again.',
  },
  CONFIG_PARSE: {
    cause: 'A line of the AWS config file is not a section, a key = value pair or a comment.',
    fix: 'Fix that line of the file.',
  },
  CONFIG_READ: {
    cause: 'The AWS config or credentials file exists but cannot be read (a directory in its place, permissions, or over 16 MiB, such as /dev/zero).',
    fix: 'Fix the path, or point AWS_CONFIG_FILE (the config file) or AWS_SHARED_CREDENTIALS_FILE (the credentials file) at the right one.',
  },
  UNKNOWN_PROFILE: {
    cause: 'The profile is neither in the AWS config file nor stored in the vault.',
    fix: 'Check the name with `vault list`, or add it with `vault add PROFILE`.',
  },
  MISSING_SOURCE: {
    cause: 'A source_profile named in the chain has no config section and no stored keys.',
    fix: 'Add its keys with `vault add SOURCE` or fix source_profile.',
  },
  NO_CREDENTIALS: {
    cause: 'The profile has no stored keys and no source_profile or credential_process.',
    fix: 'Run `vault add PROFILE`, or give it a source_profile.',
  },
  PROFILE_CYCLE: { cause: 'source_profile or include_profile links loop back.', fix: 'Break the loop in the config file.' },
  CHAIN_TOO_LONG: {
    cause: 'A source_profile chain is longer than vault follows (32 profiles; docs/config.md says why).',
    fix: 'Shorten the chain: point source_profile at the profile whose keys are stored.',
  },
  INVALID_PROFILE_VALUE: { cause: 'A config value has the wrong shape.', fix: 'Fix the value in the config file.' },
  UNSUPPORTED_PROFILE: { cause: 'The profile uses a credential source vault does not handle.', fix: '' },
  NO_STORED_KEYS: {
    cause: 'The base profile of the chain has no long-lived keys in the vault.',
    fix: 'Run `vault add PROFILE`.',
  },
  INVALID_DURATION: { cause: 'The duration is malformed or outside what STS allows.', fix: '' },
  INVALID_MFA_TOKEN: { cause: 'An MFA code must be 6 digits.', fix: 'Use the current code from your MFA device.' },
  INVALID_ASSUME: {
    cause: 'An --assume value is neither an IAM role name nor a role ARN of the shape AWS uses.',
    fix: '',
    exitCode: 2,
  },
  MFA_REQUIRED: {
    cause: 'The profile needs an MFA code and there is no terminal to ask for it.',
    fix: 'Pass --mfa-token CODE.',
  },
  MFA_SOURCE_FAILED: {
    cause: "The profile's mfa_process, or the AWS_VAULT_PROMPT program (ykman, zenity, kdialog, osascript), failed or was cancelled.",
    fix: "Run the profile's mfa_process command (or the prompt program) by hand to see why, or pass --mfa-token CODE.",
  },
  MFA_PROMPT_UNAVAILABLE: { cause: 'AWS_VAULT_PROMPT names a prompt program that is not installed.', fix: '' },
  INVALID_ENVIRONMENT: {
    cause: 'An aws-vault environment variable vault reads (a TTL, tags, a role, the prompt driver) has a value it cannot use.',
    fix: 'Fix or unset that variable.',
  },
  UNSUPPORTED_BACKEND: {
    cause: 'AWS_VAULT_BACKEND (or --backend) names an aws-vault keyring backend (keychain, pass, secret-service, ...); vault has only its encrypted file.',
    fix: 'Leave out --backend and AWS_VAULT_BACKEND, or set them to file; move keys over as docs/migrating-from-aws-vault.md shows.',
  },
  CREDENTIAL_PROCESS_FAILED: { cause: 'A credential_process command failed or printed invalid JSON.', fix: '' },
  SSO_FAILED: {
    cause: 'IAM Identity Center (SSO) sign-in or GetRoleCredentials failed: the code was not confirmed in time, the sign-in has no such account and role, or the role credentials came back expired.',
    // Each message names its own fix (a new code, the account and role, the start URL and region): one fix here would
    // contradict some of them.
    fix: '',
  },
  WEB_IDENTITY_TOKEN: {
    cause: 'The web_identity_token_file (or AWS_WEB_IDENTITY_TOKEN_FILE) of the profile cannot be read or is empty.',
    fix: 'Point web_identity_token_file at the token your platform writes (EKS, GitHub Actions, ...).',
  },
  CREDENTIAL_SOURCE_FAILED: {
    cause: 'credential_source gave no credentials: the variables are unset, or no EC2/ECS credential endpoint answers.',
    fix: 'Use credential_source only where that source exists (Environment, an EC2 instance role, an ECS task role).',
  },
  STS_ACCESS_DENIED: {
    cause: 'AWS refused AssumeRole: the caller may not assume the role, or the role does not trust the caller.',
    fix: '',
  },
  STS_INVALID_KEYS: {
    cause: 'AWS did not accept the stored keys (wrong secret, deleted or deactivated key, expired token).',
    fix: '',
  },
  STS_NETWORK: {
    cause: 'The STS endpoint could not be reached, or took the connection and did not answer within 15 seconds (two tries).',
    fix: 'Check your network, proxy, and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_STS.',
  },
  STS_ERROR: { cause: 'STS returned an error.', fix: '' },
  NO_TTY: {
    cause: 'A prompt was needed but there is no terminal.',
    // Each message names what to set instead of the prompt (a passphrase variable, --env, the agent): one fix
    // here would name the wrong one for some of them.
    fix: '',
  },
  IMPORT_CONFLICT: {
    cause: '`vault import` left out profiles whose stored keys differ from the plaintext ones (the others were imported).',
    fix: 'Run it again with --force to replace the stored keys with the plaintext ones.',
  },
  PROMPT_CLOSED: {
    cause: 'The input ended (Ctrl-D) at a prompt before it was answered.',
    fix: 'Run the command again and answer the prompt (Ctrl-C cancels).',
  },
  PASSPHRASE_MISMATCH: { cause: 'The two passphrases typed differ.', fix: 'Run the command again.' },
  EMPTY_PASSPHRASE: {
    cause: 'An empty passphrase was given (typed, or AWS_VAULT_FILE_PASSPHRASE / AWS_VAULT_NEW_PASSPHRASE set but empty).',
    fix: 'Choose a non-empty passphrase; for the vault passphrase, set the variable to it or unset it to be asked.',
  },
  INVALID_ACCESS_KEY_ID: {
    cause: 'The access key id is empty, longer than 128 characters, or has a space, line break or control character in it.',
    fix: 'Copy the key id again, alone, from the IAM console or `aws iam create-access-key`.',
  },
  TEMPORARY_KEYS: {
    cause: 'The keys given to `vault add` are a temporary session (an ASIA… key id, or AWS_SESSION_TOKEN set), which stops working when it ends.',
    fix: 'Store long-lived keys (AKIA…): from aws-vault, `aws-vault exec --no-session PROFILE -- vault add --env PROFILE`.',
  },
  MISSING_ENV_KEYS: {
    cause: '`vault add --env` reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    fix: 'Export both variables, or run without --env to be prompted.',
  },
  EMPTY_SECRET: { cause: 'No secret access key was typed.', fix: 'Run `vault add PROFILE` again and paste the secret.' },
  INVALID_SECRET: {
    cause: 'The secret access key has a space, a line break or another control character in it: no AWS secret does, and stored it would break the lines `vault export` prints.',
    fix: 'Copy the secret again, alone, from where it was created.',
  },
  ADD_SOURCED_PROFILE: {
    cause: 'The profile takes its credentials from its source_profile, so running it would not use keys stored for it (aws-vault refuses the same).',
    fix: '',
  },
  PROFILE_EXISTS: { cause: 'Keys are already stored for the profile.', fix: 'Pass --force to replace them.' },
  NOT_STORED: { cause: 'No keys are stored for that profile.', fix: 'See stored profiles with `vault list`.' },
  NESTED_EXEC: {
    cause: 'AWS_VAULT is set: this shell already runs inside `vault exec`.',
    fix: 'Exit that shell first (or unset AWS_VAULT if it is stale).',
  },
  PROMPT_TOO_LONG: {
    cause: 'More was typed or pasted at a prompt than any key, secret, code or passphrase holds (a file pasted by mistake, say).',
    fix: 'Run the command again and paste the value alone.',
  },
  EXEC_FAILED: {
    cause: 'The command could not be started: exit 127 when it is not found, 126 when it is not executable, as a shell exits.',
    fix: 'Check the command name and your PATH.',
    exitCode: 127,
  },
  SERVER_NEEDS_SESSION: {
    cause:
      '`vault exec --server` serves temporary credentials, but the profile yields long-lived ones (e.g. a ' +
      'credential_process printing keys without a session token and expiry).',
    fix: 'Run without --server, or give the profile a role (role_arn) or stored keys.',
  },
  CONSOLE_REFUSES_SESSION: {
    cause:
      'The credentials to sign in with are a session that is neither a role\'s nor a federation token (a ' +
      'GetSessionToken session, as `vault exec` of a profile without a role puts in its shell, or a credential_process gives): ' +
      'the AWS console takes only those two.',
    fix: 'Run `vault login PROFILE` outside the `vault exec` shell, so vault makes a federation token from the stored keys; or log in with a profile that assumes a role, or whose credential_process gives one.',
  },
  SIGNIN_FAILED: {
    cause:
      'The AWS federation endpoint did not return a console sign-in token: unreachable, or it refused the session ' +
      '(expired credentials, or a federated user whose policy denies the console).',
    fix: 'Check your network (and AWS_VAULT_FEDERATION_ENDPOINT if set) and try again; --debug shows how the session was obtained.',
  },
  USAGE: { cause: 'The command line is not valid.', fix: 'See `vault --help`.', exitCode: 2 },
  INVALID_OPTION_VALUE: {
    cause: 'A value given on the command line (a role ARN, MFA serial or region) does not have the shape AWS uses.',
    fix: 'Check the value; `vault config set-role --help` shows the options.',
    exitCode: 2,
  },
  NO_CREDENTIALS_FILE: {
    cause: '`vault import` reads the shared credentials file, and there is none at that path.',
    fix: 'Set AWS_SHARED_CREDENTIALS_FILE to the file that holds your keys.',
  },
  IMPORT_UNKNOWN_PROFILE: {
    cause: 'A profile named to `vault import` has no [NAME] section in the credentials file.',
    fix: 'Name one of the sections the message lists, or pass --all.',
  },
  NOTHING_TO_IMPORT: {
    cause:
      'None of the sections chosen hold long-lived keys: sections with aws_session_token hold temporary ' +
      'credentials, and a section needs both aws_access_key_id and aws_secret_access_key.',
    fix: 'Import sections with long-lived keys (AKIA…), or add keys with `vault add PROFILE`.',
  },
  FILE_READ: { cause: 'A file vault needs to edit could not be read.', fix: 'Check its permissions.' },
  FILE_WRITE: {
    cause: 'The AWS config or credentials file (or a backup next to it) could not be written.',
    fix: 'Check the permissions of the file and of its directory.',
  },
  NOT_A_FILE: {
    cause: 'The AWS config or credentials file is a device, FIFO or directory (AWS_CONFIG_FILE=/dev/null, say): replacing it would leave a regular file in its place.',
    fix: 'Point AWS_CONFIG_FILE (or AWS_SHARED_CREDENTIALS_FILE) at a regular file to let vault edit it, or edit the file yourself.',
  },
  // A file system call failed (Node's own error, its code the errno): the message names the call and often the path.
  ENOSPC: {
    cause: 'The file system holding the vault, its lock or the AWS config file is full.',
    fix: 'Free some space on it, then run the command again.',
  },
  EDQUOT: { cause: 'Your disk quota on the file system holding the vault or the AWS config file is used up.', fix: 'Free some space, then run the command again.' },
  EROFS: {
    cause: 'The file system holding the vault or the AWS config file is mounted read-only.',
    fix: 'Remount it read-write, or set AWS_VAULT_FILE_DIR (AWS_CONFIG_FILE) to a writable place.',
  },
  EACCES: {
    cause: 'vault may not read or write that file or directory (the vault, its lock beside it, or the AWS config).',
    fix: "Check the owner and mode of what it names (ls -l): the vault's directory and file, and the AWS config, must be yours to write.",
  },
  EPERM: { cause: 'The operating system refused the file operation (an immutable file, or a mount option).', fix: 'Check the file and directory named (ls -l, lsattr).' },
  FILE_CHANGED: {
    cause: 'Another program changed the file between vault reading it and writing it back.',
    fix: 'Run the command again.',
  },
  ROTATE_NOT_USER: {
    cause: 'The stored keys belong to the account root user or to something else than an IAM user.',
    fix: 'Rotate root keys in the IAM console; vault rotate handles IAM user keys.',
  },
  ROTATE_KEY_LIMIT: {
    cause: 'AWS allows two access keys per IAM user, and the user already has two, so no new key can be created.',
    fix: '',
  },
  ROTATE_FAILED: {
    cause:
      'A step of `vault rotate` failed (AWS refused or could not be reached, or the vault could not be written). The ' +
      'message says which keys exist in IAM now and which one the vault holds.',
    fix: '',
  },
  ROTATE_OLD_KEY_LEFT: {
    cause: 'The new key is stored and works, but IAM refused or missed deleting the old key.',
    fix: '',
  },
};

interface Coded {
  code?: unknown;
  message?: unknown;
  exitCode?: unknown;
  /** The profile the error is about, where it has one. */
  profile?: unknown;
}

/** Turns any thrown value into the one line the user sees and the exit status. */
export function describeError(err: unknown): { line: string; exitCode: number; known: boolean } {
  const e = (err ?? {}) as Coded;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const entry = code ? CATALOGUE[code] : undefined;
  const message = oneLine(typeof e.message === 'string' && e.message ? e.message : String(err));
  if (!entry) return { line: `vault: ${message}`, exitCode: 1, known: false };
  const named = withProfile(entry.fix, e);
  const fix = named && !message.includes(named) ? ` ${named}` : '';
  const exitCode = typeof e.exitCode === 'number' ? e.exitCode : (entry.exitCode ?? 1);
  return { line: `vault: ${withPeriod(message)}${fix}`, exitCode, known: true };
}

/**
 * The fix with the profile the error is about in place of the catalogue's `vault add PROFILE` (or `SOURCE`): the
 * command to run, not a template of it. A name a shell would split or expand is left as the placeholder.
 */
function withProfile(fix: string, e: Coded): string {
  const profile = e.profile;
  if (typeof profile !== 'string' || !/^[\w.@+=,:/-]+$/.test(profile)) return fix;
  return fix.replace(/`vault add (PROFILE|SOURCE)`/g, `\`vault add ${profile}\``);
}

// Profile names and values reach messages from config files and argv: a control character (an escape sequence, a
// vertical tab, a carriage return) would restyle the terminal or break the one line, so it is shown escaped.
function oneLine(text: string): string {
  return text
    .replace(/\s*[\r\n]\s*/g, ' ')
    .trim()
    .replace(/\t/g, ' ')
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function withPeriod(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
