// The command table: every command, its arguments and options, declared once. yargs (argv/yargs-parser.ts), the
// fast path (argv/fast-path.ts) and shell completion (argv/completion.ts) are built from it. Each
// handler loads its command module on demand, so `vault exec` never pays for the modules of other commands.
import type { CredentialRequest } from '../credentials/profile-credentials.js';
import { parseDuration } from '../credentials/duration.js';
import { InvalidEnvironmentError } from '../credentials/errors.js';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { chooseProfile } from './profile-choice.js';
import { flag, list, text, type CommandSpec, type OptionSpec, type Parsed, type PositionalSpec } from './spec.js';

/** A duration option; 0 is "not given", as aws-vault reads `--duration 0`. */
function durationOf(a: Parsed, name: string): number | undefined {
  const value = text(a, name);
  return value === undefined ? undefined : parseDuration(value) || undefined;
}

const PROFILE: PositionalSpec = {
  name: 'profile',
  describe: 'profile name (default: $AWS_PROFILE; with neither, chosen from a list on a terminal, else "default")',
  profiles: 'config',
};
const MFA_TOKEN: OptionSpec = { type: 'string', alias: ['t'], describe: 'current MFA code (otherwise prompted when needed)' };

/** Options shared by every command that obtains credentials for a profile. */
const CREDENTIAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  session: { type: 'boolean', default: true, describe: 'use a session (--no-session: the stored long-lived keys, no GetSessionToken)' },
  // aws-vault's short form; an alias of `session` would set it to true.
  n: { type: 'boolean', describe: 'same as --no-session' },
  duration: { type: 'string', alias: ['d'], describe: 'session duration: 3600, 15m, 1h, 12h' },
  'mfa-token': MFA_TOKEN,
  region: { type: 'string', describe: 'region for STS calls, and the AWS_REGION of the credentials given or printed' },
  assume: { type: 'string', repeatable: true, default: [], describe: 'extra role hop (name or ARN), repeatable' },
  verbose: { type: 'boolean', default: false, describe: 'print each role switched to (or cached session used) on stderr' },
};

/**
 * aws-vault's options for an IAM Identity Center sign-in the command may need. vault always signs in with the
 * device code flow (a URL and a code to confirm in any browser), which aws-vault uses when asked for it.
 */
const SIGN_IN_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'device-code': { type: 'boolean', describe: 'IAM Identity Center: sign in with the device code flow (always so in vault; $AWS_VAULT_DEVICE_CODE)' },
  browser: { type: 'string', describe: 'open sign-in pages with this browser program instead of the default one (default: $AWS_VAULT_BROWSER)' },
};

/** Options of exec and export: where an IAM Identity Center sign-in link goes. */
const SIGN_IN_LINK: Readonly<Record<string, OptionSpec>> = {
  stdout: { type: 'boolean', describe: 'IAM Identity Center: print the sign-in link instead of opening a browser (default: $AWS_VAULT_STDOUT)' },
};

/** The choices of `vault list` that print one name a line instead of the table. */
const LIST_FILTERS = ['profiles', 'credentials', 'sessions'] as const;

/** Go's strconv.ParseBool, which reads aws-vault's boolean variables (kingpin), plus yes/no and on/off. */
const TRUE_WORDS = ['1', 't', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'f', 'false', 'no', 'off'];

/**
 * A boolean flag that an aws-vault environment variable sets when the flag is not given (kingpin's
 * OverrideDefaultFromEnvar). The flag itself, --x or --no-x, always wins; an empty variable is unset; a value that is
 * neither true nor false is an error naming the variable, as under aws-vault, rather than a silent "off".
 */
export function flagOrEnv(a: Parsed, name: string, env: Readonly<Record<string, string | undefined>>, variable: string): boolean {
  if (a[name] !== undefined) return a[name] === true;
  const value = env[variable];
  if (!value) return false;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new InvalidEnvironmentError(variable, value, 'expected true or false (1 or 0)');
}

async function credentialRequest(ctx: Context, a: Parsed): Promise<CredentialRequest> {
  const browser = text(a, 'browser') ?? (ctx.env.AWS_VAULT_BROWSER || undefined);
  const request = {
    // `--stdout` (or AWS_VAULT_STDOUT) on exec and export: the IAM Identity Center link is printed, not opened.
    printSignInLink: flagOrEnv(a, 'stdout', ctx.env, 'AWS_VAULT_STDOUT'),
    ...(browser !== undefined && { browser }),
    // --no-session arrives as session=false.
    noSession: a.session === false || flag(a, 'n'),
    durationSeconds: durationOf(a, 'duration'),
    mfaToken: text(a, 'mfa-token'),
    // As for aws-vault, an empty --region is none (the environment's or the profile's then applies).
    region: text(a, 'region') || undefined,
    assume: list(a, 'assume'),
  };
  // Last: a mistyped option is reported before anyone is asked to choose a profile.
  return { ...request, profile: await chooseProfile(ctx, text(a, 'profile')) };
}

export const EXEC: CommandSpec = {
  name: 'exec',
  describe: 'run a command with temporary credentials for a profile (put the command after --)',
  positionals: [PROFILE, { name: 'command', variadic: true, describe: 'command and arguments (default: $SHELL)' }],
  options: {
    ...CREDENTIAL_OPTIONS,
    ...SIGN_IN_OPTIONS,
    ...SIGN_IN_LINK,
    json: { type: 'boolean', alias: ['j'], default: false, describe: 'print credential_process JSON instead of running' },
    // aws-vault 7's spelling is --ecs-server, with -s/--server as its alias.
    server: {
      type: 'boolean',
      alias: ['s', 'ecs-server'],
      default: false,
      describe: 'serve auto-refreshing credentials to the command from a local endpoint instead of keys in its env',
    },
    'ec2-server': {
      type: 'boolean',
      default: false,
      describe: 'serve them from a local EC2 instance-metadata endpoint (IMDSv2: a token on every request) instead, on a loopback port',
    },
    lazy: {
      type: 'boolean',
      default: false,
      describe: 'with --server: get the credentials at the first request, not before the command starts',
    },
    redact: {
      type: 'boolean',
      default: false,
      describe: "replace the credentials with <REDACTED> in the command's output (or redact_secrets = true in [aws-vault])",
    },
    // No default: unset, AWS_VAULT_PROFILE_ENV decides (flagOrEnv).
    'profile-env': {
      type: 'boolean',
      describe: 'give the command AWS_PROFILE instead of keys, once the credentials are known to work (default: $AWS_VAULT_PROFILE_ENV)',
    },
  },
  check: (a) => {
    const servers = ['server', 'ec2-server'].filter((n) => flag(a, n));
    if (servers.length > 1) throw new CliError('USAGE', '--server and --ec2-server are two endpoints for one command: use one', 2);
    if (servers.length > 0 && flag(a, 'json')) {
      throw new CliError('USAGE', `--${servers[0]} runs a command and --json prints credentials: use one`, 2);
    }
    // The output is filtered for the credentials the command was given; served or printed ones are not known there.
    const notWithRedact = [...servers, ...(flag(a, 'json') ? ['json'] : [])];
    if (flag(a, 'redact') && notWithRedact.length > 0) {
      throw new CliError('USAGE', `--redact filters a command's output for the credentials in its environment, and --${notWithRedact[0]} gives none: use one`, 2);
    }
  },
  run: async (ctx, a) => {
    const { exec } = await import('../commands/exec.js');
    const command = [...list(a, 'command'), ...list(a, '--')];
    const server = flag(a, 'ec2-server') ? 'ec2' : flag(a, 'server') ? 'ecs' : undefined;
    return exec(ctx, {
      ...(await credentialRequest(ctx, a)),
      command,
      json: flag(a, 'json'),
      server,
      lazy: flag(a, 'lazy'),
      redact: flag(a, 'redact'),
      profileEnv: flagOrEnv(a, 'profile-env', ctx.env, 'AWS_VAULT_PROFILE_ENV'),
    });
  },
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'add',
    describe: 'store long-lived keys for a profile',
    positionals: [{ ...PROFILE, describe: undefined, required: true }],
    options: {
      env: { type: 'boolean', default: false, describe: 'read AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY' },
      force: { type: 'boolean', default: false, describe: 'replace stored keys without asking' },
      // aws-vault's default: a profile added to the vault is also in the config, so exec, login and list see it.
      'add-config': { type: 'boolean', default: true, describe: 'add [profile NAME] to the config file if missing (--no-add-config: leave it)' },
    },
    run: async (ctx, a) => {
      const { add } = await import('../commands/add.js');
      await add(ctx, { profile: String(a.profile), env: flag(a, 'env'), force: flag(a, 'force'), addConfig: flag(a, 'add-config') });
    },
  },
  {
    name: 'list',
    aliases: ['ls'],
    describe: 'list profiles, stored keys and cached sessions',
    positionals: [],
    options: {
      json: { type: 'boolean', default: false, describe: 'print the table as JSON' },
      profiles: { type: 'boolean', default: false, describe: 'only the profile names of the config file, one a line' },
      credentials: { type: 'boolean', default: false, describe: 'only the profiles with stored keys, one a line' },
      sessions: { type: 'boolean', default: false, describe: 'only the profiles with a live cached session, one a line' },
    },
    check: (a) => {
      const only = LIST_FILTERS.filter((n) => flag(a, n));
      if (only.length > 1 || (only.length > 0 && flag(a, 'json'))) {
        throw new CliError('USAGE', `${[...only, ...(flag(a, 'json') ? ['json'] : [])].map((n) => `--${n}`).join(' and ')} each choose what to print: use one`, 2);
      }
    },
    run: async (ctx, a) => {
      const { list: listProfiles } = await import('../commands/list.js');
      await listProfiles(ctx, { json: flag(a, 'json'), only: LIST_FILTERS.find((n) => flag(a, n)) });
    },
  },
  {
    name: 'remove',
    aliases: ['rm'],
    describe: "delete a profile's stored keys and its cached sessions",
    positionals: [{ ...PROFILE, describe: undefined, required: true }],
    options: {
      force: { type: 'boolean', alias: ['f'], default: false, describe: 'delete without asking' },
      'sessions-only': {
        type: 'boolean',
        alias: ['s'],
        default: false,
        describe: "only drop the profile's cached sessions (as `vault clear PROFILE`, but keeping an IAM Identity Center sign-in), keep its keys",
      },
    },
    run: async (ctx, a) => {
      if (flag(a, 'sessions-only')) {
        const { clear } = await import('../commands/clear.js');
        await clear(ctx, { profile: String(a.profile), keepSignIn: true });
        return;
      }
      const { remove } = await import('../commands/remove.js');
      await remove(ctx, { profile: String(a.profile), force: flag(a, 'force') });
    },
  },
  {
    name: 'passphrase',
    describe: 'change the vault passphrase (AWS_VAULT_NEW_PASSPHRASE for scripts)',
    positionals: [],
    options: { kdf: { type: 'string', choices: ['interactive', 'moderate', 'sensitive'], describe: 'key derivation cost' } },
    run: async (ctx, a) => {
      const { passphrase } = await import('../commands/passphrase.js');
      await passphrase(ctx, { kdf: text(a, 'kdf') as 'interactive' | 'moderate' | 'sensitive' | undefined });
    },
  },
  {
    name: 'unlock',
    describe: 'keep the vault key in a per-user agent, so commands need no passphrase until it is idle for --ttl',
    positionals: [],
    options: { ttl: { type: 'string', default: '15m', describe: 'idle time after which the key is wiped: 15m, 1h, 3600' } },
    run: async (ctx, a) => {
      const { unlock } = await import('../commands/unlock.js');
      await unlock(ctx, { ttlSeconds: durationOf(a, 'ttl') });
    },
  },
  {
    name: 'lock',
    describe: 'wipe the key kept by `vault unlock` now',
    positionals: [],
    options: {},
    run: async (ctx) => {
      const { lock } = await import('../commands/lock.js');
      await lock(ctx);
    },
  },
  EXEC,
  {
    name: 'export',
    describe: 'print temporary credentials (env, export-env, ini or credential_process json)',
    positionals: [PROFILE],
    options: {
      ...CREDENTIAL_OPTIONS,
      ...SIGN_IN_OPTIONS,
      ...SIGN_IN_LINK,
      format: { type: 'string', choices: ['env', 'export-env', 'ini', 'json'], default: 'env' },
    },
    run: async (ctx, a) => {
      const { exportCredentials } = await import('../commands/export.js');
      const format = text(a, 'format') as 'env' | 'export-env' | 'ini' | 'json';
      await exportCredentials(ctx, { ...(await credentialRequest(ctx, a)), format });
    },
  },
  {
    name: 'login',
    describe: 'open the AWS console signed in as a profile (federation sign-in URL)',
    positionals: [{ ...PROFILE, describe: 'profile name (default: $AWS_PROFILE; with neither, the keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)' }],
    options: {
      stdout: { type: 'boolean', alias: ['s'], describe: 'print the sign-in URL instead of opening a browser (default: $AWS_VAULT_STDOUT)' },
      'auto-logout': {
        type: 'boolean',
        alias: ['a'],
        describe: 'sign out of the console session open in the browser first (default: $AWS_VAULT_AUTO_LOGOUT)',
      },
      session: { type: 'boolean', default: true, describe: "--no-session: assume a profile's role with the stored keys directly, no GetSessionToken first" },
      n: { type: 'boolean', describe: 'same as --no-session' },
      duration: {
        type: 'string',
        alias: ['d'],
        describe: 'console session: role session (15m-12h) or federation token (15m-36h), default 1h',
      },
      'mfa-token': MFA_TOKEN,
      region: { type: 'string', describe: 'region whose console opens' },
      path: { type: 'string', describe: 'console page to open, e.g. s3 or ec2/home' },
      ...SIGN_IN_OPTIONS,
    },
    run: async (ctx, a) => {
      const { login } = await import('../commands/login.js');
      await login(ctx, {
        // aws-vault: with no profile named and none in AWS_PROFILE, the keys in the environment sign in.
        profile: text(a, 'profile') ?? ctx.env.AWS_PROFILE,
        stdout: flagOrEnv(a, 'stdout', ctx.env, 'AWS_VAULT_STDOUT'),
        autoLogout: flagOrEnv(a, 'auto-logout', ctx.env, 'AWS_VAULT_AUTO_LOGOUT'),
        noSession: a.session === false || flag(a, 'n'),
        durationSeconds: durationOf(a, 'duration'),
        mfaToken: text(a, 'mfa-token'),
        region: text(a, 'region') || undefined,
        path: text(a, 'path'),
        browser: text(a, 'browser') ?? (ctx.env.AWS_VAULT_BROWSER || undefined),
      });
    },
  },
  {
    name: 'whoami',
    describe: "show the account, ARN and user id that a profile's credentials act as (GetCallerIdentity)",
    positionals: [PROFILE],
    options: { ...CREDENTIAL_OPTIONS, json: { type: 'boolean', default: false, describe: 'print the identity as JSON' } },
    run: async (ctx, a) => {
      const { whoami } = await import('../commands/whoami.js');
      await whoami(ctx, { ...(await credentialRequest(ctx, a)), json: flag(a, 'json') });
    },
  },
  {
    name: 'clear',
    describe: 'drop cached sessions: all, or those whose chain passes through a profile',
    positionals: [{ name: 'profile', describe: 'only the sessions derived from this profile', profiles: 'config' }],
    options: {},
    run: async (ctx, a) => {
      const { clear } = await import('../commands/clear.js');
      await clear(ctx, { profile: text(a, 'profile') });
    },
  },
  {
    name: 'import',
    describe: 'move keys from the plaintext credentials file into the vault',
    positionals: [{ name: 'profiles', variadic: true, describe: 'sections of the credentials file to import', profiles: 'credentials' }],
    options: {
      all: { type: 'boolean', default: false, describe: 'import every section that holds long-lived keys' },
      'remove-plaintext': {
        type: 'boolean',
        describe: 'remove the imported keys from the credentials file without asking (--no-remove-plaintext: keep them)',
      },
      backup: { type: 'boolean', default: false, describe: 'keep a 0600 copy of the credentials file before removing keys' },
      force: { type: 'boolean', default: false, describe: 'replace keys the vault already holds for a profile' },
    },
    run: async (ctx, a) => {
      const { importKeys } = await import('../commands/import.js');
      const removePlaintext = a['remove-plaintext'] === undefined ? undefined : flag(a, 'remove-plaintext');
      await importKeys(ctx, { profiles: list(a, 'profiles'), all: flag(a, 'all'), removePlaintext, backup: flag(a, 'backup'), force: flag(a, 'force') });
    },
  },
  {
    name: 'rotate',
    describe: "replace a profile's IAM access key with a new one, then delete the old key",
    positionals: [{ ...PROFILE, describe: 'profile name (default: $AWS_PROFILE; with neither, chosen from a list on a terminal)' }],
    options: {
      // aws-vault without -n calls IAM through a session; vault always calls it with the stored keys themselves.
      session: { type: 'boolean', default: true, describe: 'accepted for aws-vault: vault always calls IAM with the stored keys (what -n does there)' },
      n: { type: 'boolean', describe: 'same as --no-session' },
    },
    run: async (ctx, a) => {
      const { rotate } = await import('../commands/rotate.js');
      // As exec: $AWS_PROFILE, else a choice on a terminal; never "default" unasked, since this replaces a key.
      const named = text(a, 'profile') ?? (ctx.env.AWS_PROFILE || undefined);
      if (named === undefined && !ctx.interactive()) throw new CliError('USAGE', 'name the profile whose key to rotate (or set AWS_PROFILE)', 2);
      await rotate(ctx, { profile: await chooseProfile(ctx, named) });
    },
  },
  {
    name: 'config',
    describe: 'edit the AWS config file without reformatting it',
    positionals: [],
    options: {},
    demandSubcommand: 'Name a config action: set-role.',
    subcommands: [
      {
        name: 'set-role',
        describe: 'make NAME a role profile: role_arn and source_profile (and mfa_serial, region)',
        positionals: [{ name: 'name', required: true, describe: 'the profile to create or change', profiles: 'config' }],
        options: {
          source: { type: 'string', required: true, describe: 'source_profile: whose credentials assume the role', profiles: 'config' },
          'role-arn': { type: 'string', required: true, describe: 'arn:aws:iam::ACCOUNT:role/NAME' },
          'mfa-serial': { type: 'string', describe: 'MFA device ARN (or hardware serial) the role requires' },
          region: { type: 'string', describe: 'region for this profile' },
        },
        run: async (ctx, a) => {
          const { setRole } = await import('../commands/config.js');
          await setRole(ctx, {
            name: String(a.name),
            source: String(a.source),
            roleArn: String(a['role-arn']),
            mfaSerial: text(a, 'mfa-serial'),
            region: text(a, 'region'),
          });
        },
      },
    ],
  },
  {
    name: 'version',
    describe: 'print the version of vault (also --version, -v)',
    positionals: [],
    options: {},
    run: async (ctx) => {
      const { cliVersion } = await import('../version.js');
      ctx.stdout(`${cliVersion()}\n`);
    },
  },
  {
    name: 'completion',
    describe: 'print a bash or zsh completion script (default: the one $SHELL names)',
    positionals: [{ name: 'shell', choices: ['bash', 'zsh'] }],
    options: {},
    run: async (ctx, a) => {
      const { completionScript, defaultShell } = await import('../commands/completion.js');
      const named = text(a, 'shell') as 'bash' | 'zsh' | undefined;
      const shell = named ?? defaultShell(ctx.env);
      // Said, not silently the bash script: sourced by fish, say, it would fail in the user's shell start-up.
      if (named === undefined && !/(^|\/)(bash|zsh)$/.test(ctx.env.SHELL ?? '')) {
        ctx.info(`vault completes bash and zsh; $SHELL is ${ctx.env.SHELL || 'not set'}, so this is the ${shell} script (\`vault completion zsh\` for the other).`);
      }
      ctx.stdout(completionScript(shell));
    },
  },
];
