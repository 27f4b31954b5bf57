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

/** Runs a command of the table on what a parser read, whichever parser it was; returns the exit status. */
export async function dispatch(spec: CommandSpec, a: Parsed, io: Io): Promise<number> {
  checkNotRepeated(spec, a);
  spec.check?.(a);
  if (!spec.run) throw new CliError('USAGE', spec.demandSubcommand ?? `Name a ${spec.name} action`, 2);
  const settings = Object.entries(GLOBAL_FLAG_VARIABLES).flatMap(([name, variable]) => {
    const value = text(a, name);
    return value === undefined ? [] : [[variable, value] as const];
  });
  const ctx = createContext({ debug: flag(a, 'debug'), verbose: flag(a, 'verbose'), io, settings: Object.fromEntries(settings) });
  return (await spec.run(ctx, a)) ?? 0;
}
