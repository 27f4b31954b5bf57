import { InvalidEnvironmentError } from '../credentials/errors.js';
import { promptDriver } from '../credentials/prompt-driver.js';
import { CliError } from '../errors/cli-error.js';
import { createContext, type Context, type Io } from '../io/context.js';
import { checkBackend } from '../vault-access/backend.js';
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
 * aws-vault's global settings checked as it checks them, for every command before it runs (its app.Validate and the
 * backend's enum), and named as what the user set: the flag (--backend, --prompt) or the variable.
 */
export function checkGlobalSettings(ctx: Pick<Context, 'env' | 'settingName'>): void {
  checkBackend(ctx);
  try {
    promptDriver(ctx.env);
  } catch (err) {
    const name = ctx.settingName('AWS_VAULT_PROMPT');
    if (!(err instanceof InvalidEnvironmentError) || name === 'AWS_VAULT_PROMPT') throw err;
    throw new CliError('USAGE', `${name} ${JSON.stringify(String(ctx.env.AWS_VAULT_PROMPT).slice(0, 40))} is not valid: ${err.reason}`, 2);
  }
}

/** Runs a command of the table on what a parser read, whichever parser it was; returns the exit status. */
export async function dispatch(spec: CommandSpec, a: Parsed, io: Io): Promise<number> {
  checkNotRepeated(spec, a);
  spec.check?.(a);
  if (!spec.run) throw new CliError('USAGE', spec.demandSubcommand ?? `Name a ${spec.name} action`, 2);
  const given = Object.entries(GLOBAL_FLAG_VARIABLES).flatMap(([name, variable]) => {
    const value = text(a, name);
    return value === undefined ? [] : [[name, variable, value] as const];
  });
  const ctx = createContext({
    debug: flag(a, 'debug'),
    verbose: flag(a, 'verbose'),
    io,
    settings: Object.fromEntries(given.map(([, variable, value]) => [variable, value])),
    settingFlags: Object.fromEntries(given.map(([name, variable]) => [variable, `--${name}`])),
  });
  checkGlobalSettings(ctx);
  return (await spec.run(ctx, a)) ?? 0;
}
