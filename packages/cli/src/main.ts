import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CliError } from './cli-error.js';
import { createContext, type Context } from './context.js';
import { describeError } from './errors.js';

// yargs wiring only: each handler loads its command module on demand, so `vault exec` never pays for the
// modules of other commands.

interface Global {
  debug: boolean;
}

function context(argv: Global): Context {
  return createContext({ debug: argv.debug });
}

function defaultProfile(given: string | undefined): string {
  return given ?? process.env.AWS_PROFILE ?? 'default';
}

async function durationOf(text: string | undefined): Promise<number | undefined> {
  if (text === undefined) return undefined;
  const { parseDuration } = await import('./credentials/duration.js');
  return parseDuration(text);
}

/** Options shared by every command that obtains credentials for a profile. */
function credentialOptions<T>(y: Argv<T>) {
  return y
    .positional('profile', { type: 'string', describe: 'profile name (default: $AWS_PROFILE, then "default")' })
    .option('session', { type: 'boolean', default: true, describe: 'use a session (--no-session: the stored long-lived keys, no GetSessionToken)' })
    .option('duration', { alias: 'd', type: 'string', describe: 'session duration: 3600, 15m, 1h, 12h' })
    .option('mfa-token', { alias: 't', type: 'string', describe: 'current MFA code (otherwise prompted when needed)' })
    .option('region', { type: 'string', describe: 'region for STS and the AWS_REGION given to the command' })
    .option('assume', { type: 'string', array: true, default: [] as string[], describe: 'extra role hop (name or ARN), repeatable' });
}

async function credentialRequest(argv: {
  profile?: string;
  session?: boolean;
  duration?: string;
  mfaToken?: string;
  region?: string;
  assume?: string[];
}) {
  return {
    profile: defaultProfile(argv.profile),
    // yargs turns --no-session into session=false.
    noSession: argv.session === false,
    durationSeconds: await durationOf(argv.duration),
    mfaToken: argv.mfaToken,
    region: argv.region,
    assume: (argv.assume ?? []).map(String),
  };
}

export async function main(args: string[]): Promise<number> {
  let status = 0;
  let debug = args.includes('--debug');
  const parser = yargs(args)
    .scriptName('vault')
    .usage('$0 <command> [options]\n\nKeeps AWS keys in an encrypted vault and runs commands with short-lived credentials.')
    .parserConfiguration({ 'populate--': true })
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
      'exec [profile] [command..]',
      'run a command with temporary credentials for a profile (put the command after --)',
      (y) =>
        credentialOptions(y)
          .positional('command', { type: 'string', array: true, describe: 'command and arguments (default: $SHELL)' })
          .option('json', { type: 'boolean', default: false, describe: 'print credential_process JSON instead of running' }),
      async (argv) => {
        const { exec } = await import('./commands/exec.js');
        const command = [...(argv.command ?? []), ...((argv['--'] as string[] | undefined) ?? [])].map(String);
        status = await exec(context(argv), { ...(await credentialRequest(argv)), command, json: argv.json });
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
    .demandCommand(1, 'Name a command; see vault --help.')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, err) => {
      if (err) throw err;
      throw new CliError('USAGE', message ?? 'invalid command line', 2);
    })
    .exitProcess(false);

  try {
    const argv = await parser.parseAsync();
    debug = Boolean(argv.debug);
    return status;
  } catch (err) {
    const { line, exitCode, known } = describeError(err);
    process.stderr.write(`${line}${known || debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return exitCode;
  }
}

// Linux writes to pipes, files and terminals synchronously, so exiting here never truncates output; exiting
// explicitly stops idle sockets or timers from keeping a finished command alive.
process.exit(await main(hideBin(process.argv)));
