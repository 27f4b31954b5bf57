import { InvalidEnvironmentError } from '../credentials/errors.js';
import { promptDriver } from '../credentials/mfa-sources.js';
import { CliError } from '../errors/cli-error.js';
import { createContext, type Io } from '../io/context.js';
import { flag, GLOBAL_FLAG_VARIABLES, text, type CommandSpec, type Parsed } from './spec.js';

/** The usage error for a single-valued option given more than once (yargs hands such a value over as an array). */
export function checkNotRepeated(spec: CommandSpec, a: Parsed): void {
  for (const [name, option] of Object.entries(spec.options)) {
    if (!option.repeatable && Array.isArray(a[name])) {
      throw new CliError('USAGE', `--${name} was given more than once: give it once`, 2);
    }
  }
}

/**
 * aws-vault's global flags checked as it checks them, for every command before it runs, and named as the flags they
 * are: the variables they stand for would otherwise be blamed (AWS_VAULT_BACKEND=... for a --backend typed).
 */
export function checkGlobalFlags(a: Parsed): void {
  const backend = text(a, 'backend');
  if (backend !== undefined && backend !== 'file') {
    throw new CliError(
      'UNSUPPORTED_BACKEND',
      `--backend ${JSON.stringify(backend.slice(0, 40))}: this vault keeps keys only in its own encrypted file (the file backend)`,
    );
  }
  const prompt = text(a, 'prompt');
  if (!prompt) return;
  try {
    promptDriver({ AWS_VAULT_PROMPT: prompt });
  } catch (err) {
    if (!(err instanceof InvalidEnvironmentError)) throw err;
    throw new CliError('USAGE', `--prompt ${JSON.stringify(prompt.slice(0, 40))} is not valid: ${err.reason}`, 2);
  }
}

/** Runs a command of the table on what a parser read, whichever parser it was; returns the exit status. */
export async function dispatch(spec: CommandSpec, a: Parsed, io: Io): Promise<number> {
  checkNotRepeated(spec, a);
  checkGlobalFlags(a);
  spec.check?.(a);
  if (!spec.run) throw new CliError('USAGE', spec.demandSubcommand ?? `Name a ${spec.name} action`, 2);
  const settings = Object.entries(GLOBAL_FLAG_VARIABLES).flatMap(([name, variable]) => {
    const value = text(a, name);
    return value === undefined ? [] : [[variable, value] as const];
  });
  const ctx = createContext({ debug: flag(a, 'debug'), verbose: flag(a, 'verbose'), io, settings: Object.fromEntries(settings) });
  return (await spec.run(ctx, a)) ?? 0;
}
