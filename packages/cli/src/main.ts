import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { CliError } from './errors/cli-error.js';
import { createContext, type Context } from './io/context.js';
import { parseDuration } from './credentials/duration.js';
import { defaultProfile, fastExecArgs } from './argv/exec-fast-path.js';

// yargs wiring only: each handler loads its command module on demand, so `vault exec` never pays for the
// modules of other commands.

interface Global {
  debug: boolean;
  /** Only on commands that obtain credentials. */
  verbose?: boolean;
}

function context(argv: Global): Context {
  return createContext({ debug: argv.debug, verbose: argv.verbose });
}

// The exec fast path imports duration.js already, so a lazy import here would save nothing.
function durationOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseDuration(text);
}

/** Options shared by every command that obtains credentials for a profile. */
function credentialOptions<T>(y: Argv<T>) {
  return y
    .positional('profile', { type: 'string', describe: 'profile name (default: $AWS_PROFILE, then "default")' })
    .option('session', { type: 'boolean', default: true, describe: 'use a session (--no-session: the stored long-lived keys, no GetSessionToken)' })
    // aws-vault's short form; an alias of `session` would set it to true.
    .option('n', { type: 'boolean', describe: 'same as --no-session' })
    .option('duration', { alias: 'd', type: 'string', describe: 'session duration: 3600, 15m, 1h, 12h' })
    .option('mfa-token', { alias: 't', type: 'string', describe: 'current MFA code (otherwise prompted when needed)' })
    .option('region', { type: 'string', describe: 'region for STS calls, and the AWS_REGION of the credentials given or printed' })
    .option('assume', { type: 'string', array: true, default: [] as string[], describe: 'extra role hop (name or ARN), repeatable' })
    .option('verbose', { type: 'boolean', default: false, describe: 'print each role switched to (or cached session used) on stderr' });
}

async function credentialRequest(argv: {
  profile?: string;
  session?: boolean;
  n?: boolean;
  duration?: string;
  mfaToken?: string;
  region?: string;
  assume?: string[];
}) {
  return {
    profile: defaultProfile(argv.profile),
    // yargs turns --no-session into session=false.
    noSession: argv.session === false || argv.n === true,
    durationSeconds: await durationOf(argv.duration),
    mfaToken: argv.mfaToken,
    region: argv.region,
    assume: (argv.assume ?? []).map(String),
  };
}

/** The version of the installed @vault/cli (yargs cannot find package.json from an ES module by itself). */
function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** Prints the one error line (and the stack with --debug) and returns the exit status. */
async function reportError(err: unknown, debug: boolean): Promise<number> {
  // The catalogue loads only when there is an error to describe, not on the path of every `vault exec`.
  const { describeError } = await import('./errors/catalogue.js');
  const { line, exitCode, known } = describeError(err);
  process.stderr.write(`${line}${known || debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return exitCode;
}

export async function main(args: string[]): Promise<number> {
  let status = 0;
  let debug = args.includes('--debug');
  // The common `vault exec PROFILE -- CMD` does not load yargs at all (see argv/exec-fast-path.ts).
  try {
    const fast = fastExecArgs(args);
    if (fast) {
      const { exec } = await import('./commands/exec.js');
      return await exec(createContext({ debug: fast.debug }), fast.args);
    }
  } catch (err) {
    return reportError(err, debug);
  }
  const { default: yargs } = await import('yargs');
  const parser = yargs(args)
    .scriptName('vault')
    .usage('$0 <command> [options]\n\nKeeps AWS keys in an encrypted vault and runs commands with short-lived credentials.')
    // Without 'parse-positional-numbers': false, yargs turns a command's `0x10`, `1e3` or `-0` into 16, 1000 and 0.
    .parserConfiguration({ 'populate--': true, 'parse-positional-numbers': false })
    .option('debug', { type: 'boolean', default: false, global: true, describe: 'diagnostics on stderr (secrets redacted)' })
    .command(
      'add <profile>',
      'store long-lived keys for a profile',
      (y) =>
        y
          .positional('profile', { type: 'string', demandOption: true })
          .option('env', { type: 'boolean', default: false, describe: 'read AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY' })
          .option('force', { type: 'boolean', default: false, describe: 'replace stored keys without asking' })
          .option('add-config', { type: 'boolean', default: false, describe: 'add [profile NAME] to the config file if missing' }),
      async (argv) => {
        const { add } = await import('./commands/add.js');
        await add(context(argv), { profile: argv.profile, env: argv.env, force: argv.force, addConfig: argv.addConfig });
      },
    )
    .command(
      'list',
      'list profiles, stored keys and cached sessions',
      (y) => y.option('json', { type: 'boolean', default: false }),
      async (argv) => {
        const { list } = await import('./commands/list.js');
        await list(context(argv), { json: argv.json });
      },
    )
    .command(
      ['remove <profile>', 'rm <profile>'],
      'delete a profile\'s stored keys and its cached sessions',
      (y) => y.positional('profile', { type: 'string', demandOption: true }).option('force', { type: 'boolean', default: false }),
      async (argv) => {
        const { remove } = await import('./commands/remove.js');
        await remove(context(argv), { profile: argv.profile, force: argv.force });
      },
    )
    .command(
      'passphrase',
      'change the vault passphrase (AWS_VAULT_NEW_PASSPHRASE for scripts)',
      (y) => y.option('kdf', { choices: ['interactive', 'moderate', 'sensitive'] as const, describe: 'key derivation cost' }),
      async (argv) => {
        const { passphrase } = await import('./commands/passphrase.js');
        await passphrase(context(argv), { kdf: argv.kdf });
      },
    )
    .command(
      'unlock',
      'keep the vault key in a per-user agent, so commands need no passphrase until it is idle for --ttl',
      (y) => y.option('ttl', { type: 'string', default: '15m', describe: 'idle time after which the key is wiped: 15m, 1h, 3600' }),
      async (argv) => {
        const { unlock } = await import('./commands/unlock.js');
        await unlock(context(argv), { ttlSeconds: await durationOf(argv.ttl) });
      },
    )
    .command(
      'lock',
      'wipe the key kept by `vault unlock` now',
      (y) => y,
      async (argv) => {
        const { lock } = await import('./commands/lock.js');
        await lock(context(argv));
      },
    )
    .command(
      'exec [profile] [command..]',
      'run a command with temporary credentials for a profile (put the command after --)',
      (y) =>
        credentialOptions(y)
          .positional('command', { type: 'string', array: true, describe: 'command and arguments (default: $SHELL)' })
          .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'print credential_process JSON instead of running' })
          .option('server', {
            // aws-vault 7's spelling is --ecs-server, with -s/--server as its alias.
            alias: ['s', 'ecs-server'],
            type: 'boolean',
            default: false,
            describe: 'serve auto-refreshing credentials to the command from a local endpoint instead of keys in its env',
          })
          // Not .conflicts(): yargs counts the false defaults as given.
          .check((argv) => {
            if (argv.server && argv.json) throw new CliError('USAGE', '--server runs a command and --json prints credentials: use one', 2);
            return true;
          }),
      async (argv) => {
        const { exec } = await import('./commands/exec.js');
        const command = [...(argv.command ?? []), ...((argv['--'] as string[] | undefined) ?? [])].map(String);
        status = await exec(context(argv), { ...(await credentialRequest(argv)), command, json: argv.json, server: argv.server });
      },
    )
    .command(
      'export [profile]',
      'print temporary credentials (env, export-env, ini or credential_process json)',
      (y) => credentialOptions(y).option('format', { choices: ['env', 'export-env', 'ini', 'json'] as const, default: 'env' as const }),
      async (argv) => {
        const { exportCredentials } = await import('./commands/export.js');
        await exportCredentials(context(argv), { ...(await credentialRequest(argv)), format: argv.format });
      },
    )
    .command(
      'login [profile]',
      'open the AWS console signed in as a profile (federation sign-in URL)',
      (y) =>
        y
          .positional('profile', { type: 'string', describe: 'profile name (default: $AWS_PROFILE, then "default")' })
          .option('stdout', { alias: 's', type: 'boolean', default: false, describe: 'print the sign-in URL instead of opening a browser' })
          .option('duration', { alias: 'd', type: 'string', describe: 'console session: role session (15m-12h) or federation token (15m-36h), default 1h' })
          .option('mfa-token', { alias: 't', type: 'string', describe: 'current MFA code (otherwise prompted when needed)' })
          .option('region', { type: 'string', describe: 'region whose console opens' })
          .option('path', { type: 'string', describe: 'console page to open, e.g. s3 or ec2/home' }),
      async (argv) => {
        const { login } = await import('./commands/login.js');
        await login(context(argv), {
          profile: defaultProfile(argv.profile),
          stdout: argv.stdout,
          durationSeconds: await durationOf(argv.duration),
          mfaToken: argv.mfaToken,
          region: argv.region,
          path: argv.path,
        });
      },
    )
    .command(
      'whoami [profile]',
      'show the account, ARN and user id that a profile\'s credentials act as (GetCallerIdentity)',
      (y) => credentialOptions(y).option('json', { type: 'boolean', default: false, describe: 'print the identity as JSON' }),
      async (argv) => {
        const { whoami } = await import('./commands/whoami.js');
        await whoami(context(argv), { ...(await credentialRequest(argv)), json: argv.json });
      },
    )
    .command(
      'clear [profile]',
      'drop cached sessions: all, or those whose chain passes through a profile',
      (y) => y.positional('profile', { type: 'string', describe: 'only the sessions derived from this profile' }),
      async (argv) => {
        const { clear } = await import('./commands/clear.js');
        await clear(context(argv), { profile: argv.profile });
      },
    )
    .command(
      'import [profiles..]',
      'move keys from the plaintext credentials file into the vault',
      (y) =>
        y
          .positional('profiles', { type: 'string', array: true, describe: 'sections of the credentials file to import' })
          .option('all', { type: 'boolean', default: false, describe: 'import every section that holds long-lived keys' })
          .option('remove-plaintext', {
            type: 'boolean',
            describe: 'remove the imported keys from the credentials file without asking (--no-remove-plaintext: keep them)',
          })
          .option('backup', { type: 'boolean', default: false, describe: 'keep a 0600 copy of the credentials file before removing keys' })
          .option('force', { type: 'boolean', default: false, describe: 'replace keys the vault already holds for a profile' }),
      async (argv) => {
        const { importKeys } = await import('./commands/import.js');
        await importKeys(context(argv), {
          profiles: (argv.profiles ?? []).map(String),
          all: argv.all,
          removePlaintext: argv.removePlaintext,
          backup: argv.backup,
          force: argv.force,
        });
      },
    )
    .command(
      'rotate <profile>',
      'replace a profile\'s IAM access key with a new one, then delete the old key',
      (y) => y.positional('profile', { type: 'string', demandOption: true }),
      async (argv) => {
        const { rotate } = await import('./commands/rotate.js');
        await rotate(context(argv), { profile: argv.profile });
      },
    )
    .command('config', 'edit the AWS config file without reformatting it', (y) =>
      y
        .command(
          'set-role <name>',
          'make NAME a role profile: role_arn and source_profile (and mfa_serial, region)',
          (z) =>
            z
              .positional('name', { type: 'string', demandOption: true, describe: 'the profile to create or change' })
              .option('source', { type: 'string', demandOption: true, describe: 'source_profile: whose credentials assume the role' })
              .option('role-arn', { type: 'string', demandOption: true, describe: 'arn:aws:iam::ACCOUNT:role/NAME' })
              .option('mfa-serial', { type: 'string', describe: 'MFA device ARN (or hardware serial) the role requires' })
              .option('region', { type: 'string', describe: 'region for this profile' }),
          async (argv) => {
            const { setRole } = await import('./commands/config.js');
            await setRole(context(argv), {
              name: argv.name,
              source: argv.source,
              roleArn: argv.roleArn,
              mfaSerial: argv.mfaSerial,
              region: argv.region,
            });
          },
        )
        .demandCommand(1, 'Name a config action: set-role.'),
    )
    .command(
      'completion [shell]',
      'print a bash or zsh completion script (default: the one $SHELL names)',
      (y) => y.positional('shell', { choices: ['bash', 'zsh'] as const }),
      async (argv) => {
        const { completionScript, defaultShell } = await import('./argv/completion.js');
        process.stdout.write(completionScript(argv.shell ?? defaultShell(process.env)));
      },
    )
    .demandCommand(1, 'Name a command')
    .strict()
    .help()
    .alias('h', 'help')
    .version(cliVersion())
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, err) => {
      if (err) throw err;
      throw new CliError('USAGE', message ?? 'invalid command line', 2);
    })
    .exitProcess(false);

  // Tab completion (the flag the scripts of argv/completion.ts pass) is answered before yargs runs a command, because
  // profile names are read asynchronously.
  if (args[0] === '--get-yargs-completions') {
    const { complete } = await import('./argv/completion.js');
    return complete(context({ debug: false }), args.slice(1), (words) => parser.getCompletion([...words]));
  }
  try {
    const argv = await parser.parseAsync();
    debug = Boolean(argv.debug);
    return status;
  } catch (err) {
    return reportError(err, debug);
  }
}

// Linux writes to pipes, files and terminals synchronously, so exiting here never truncates output; exiting
// explicitly stops idle sockets or timers from keeping a finished command alive.
process.exit(await main(process.argv.slice(2)));
