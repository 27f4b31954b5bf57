// yargs built from the command table: help, validation, every form of every option, and the candidates of shell
// completion. Its output (help, version) goes to the Io it is given, never to the process directly.
import type { Argv, Options } from 'yargs';
import { COMPLETION_FLAG } from '../commands/completion.js';
import { CliError } from '../errors/cli-error.js';
import { createContext, type Io } from '../io/context.js';
import { checkCommandAfterDashes } from './command-after-dashes.js';
import { COMMANDS } from './commands.js';
import { checkCommandName, checkOtherStoreFlags } from './unknown-command.js';
import { endOfOptions } from './end-of-options.js';
import { usageMessage } from './usage-message.js';
import { dispatch } from './dispatch.js';
import { GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './spec.js';

function yargsOption(o: OptionSpec): Options {
  return {
    // yargs shows a type and choices both only when the type says more than the choices.
    type: o.choices ? undefined : o.type,
    alias: o.alias ? [...o.alias] : undefined,
    default: o.default,
    describe: o.describe,
    choices: o.choices ? [...o.choices] : undefined,
    array: o.repeatable,
    demandOption: o.required,
    // `--duration -- cmd` or a trailing `--format`: a value option without its value is a usage error, not the default.
    requiresArg: o.type === 'string',
  };
}

function usage(spec: CommandSpec, name: string): string {
  const words = spec.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}${p.variadic ? '..' : ''}]`));
  return [name, ...words].join(' ');
}

function addCommand(y: Argv, spec: CommandSpec, io: Io, done: (status: number) => void): Argv {
  return y.command(
    [spec.name, ...(spec.aliases ?? [])].map((name) => usage(spec, name)),
    spec.describe,
    (z) => {
      for (const p of spec.positionals) {
        z.positional(p.name, { type: p.choices ? undefined : 'string', array: p.variadic, describe: p.describe, choices: p.choices ? [...p.choices] : undefined, demandOption: p.required });
      }
      for (const [name, o] of Object.entries(spec.options)) z.option(name, yargsOption(o));
      for (const sub of spec.subcommands ?? []) addCommand(z, sub, io, done);
      return spec.demandSubcommand ? z.demandCommand(1, spec.demandSubcommand) : z;
    },
    spec.run ? async (argv) => done(await dispatch(spec, argv, io)) : undefined,
  );
}

/**
 * aws-vault's spellings that yargs has no form for: `vault help [COMMAND]` is `vault [COMMAND] --help`, and a bare
 * `vault` prints the help rather than a usage error.
 */
export function helpRequest(args: readonly string[]): readonly string[] {
  const words = args.filter((a) => a !== '--debug');
  if (words.length === 0) return ['--help'];
  if (args[0] === 'help') return [...args.slice(1).filter((a) => !a.startsWith('-')), '--help'];
  return args;
}

/** Parses `args` and runs the command they name (or answers a completion request); returns the exit status. */
export async function parseAndRun(given: readonly string[], io: Io, version: string): Promise<number> {
  const args = helpRequest(given);
  checkCommandAfterDashes(args);
  // Tab completion (the flag of the scripts `vault completion` prints) is answered from the command table, without
  // yargs (argv/completion.ts).
  if (args[0] === COMPLETION_FLAG) {
    const { complete } = await import('./completion.js');
    return complete(createContext({ debug: false, io }), args.slice(1));
  }
  checkOtherStoreFlags(args);
  checkCommandName(args);
  const line = endOfOptions(args);
  const { default: yargs } = await import('yargs');
  let status = 0;
  const parser = yargs([...line])
    .scriptName('vault')
    .usage('$0 <command> [options]\n\nKeeps AWS keys in an encrypted vault and runs commands with short-lived credentials.')
    // Without 'parse-positional-numbers': false, yargs turns a command's `0x10`, `1e3` or `-0` into 16, 1000 and 0.
    .parserConfiguration({ 'populate--': true, 'parse-positional-numbers': false });
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) parser.option(name, { ...yargsOption(o), global: true });
  for (const spec of COMMANDS) addCommand(parser, spec, io, (s) => (status = s));
  parser
    .demandCommand(1, 'Name a command')
    .strict()
    .help()
    .alias('h', 'help')
    .version(version)
    .alias('v', 'version')
    .wrap(Math.min(100, io.columns || 100))
    .fail((message, err) => {
      // A command's own failure goes on as it is; yargs's own (a YError, such as a value option without its value)
      // is a usage error like any other it reports.
      if (err && err.name !== 'YError') throw err;
      throw new CliError('USAGE', usageMessage(message ?? err?.message ?? 'invalid command line', line), 2);
    })
    .exitProcess(false);

  // With a callback, yargs hands over what it would print (help, version) instead of writing to the console.
  let output = '';
  await parser.parseAsync([...line], {}, (_err, _argv, text) => {
    output = text;
  });
  if (output) io.stdout(`${output}\n`);
  return status;
}
