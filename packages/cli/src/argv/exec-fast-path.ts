// `vault exec [PROFILE] [options] -- CMD` without yargs. yargs (with its terminal-width and locale tables) costs
// about as much to load as Node itself, on the command that prefixes everything a user runs. This parser reads
// exec's options from the command table (argv/commands.ts), so an option added there is understood here too, and
// takes only their plain forms: for anything else (help, unknown or repeated options, short-option groups, a
// command not after `--`) it answers undefined and main.ts gives the line to yargs, which decides.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXEC } from './commands.js';
import { GLOBAL_OPTIONS, type OptionSpec, type Parsed } from './spec.js';

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

/** node:util's options for every spelling of exec's options, and the canonical name and value each spelling means. */
function spellings(): { options: ParseOptions; meaning: Map<string, { name: string; negated: boolean }> } {
  const options: ParseOptions = {};
  const meaning = new Map<string, { name: string; negated: boolean }>();
  const all: [string, OptionSpec][] = [...Object.entries(GLOBAL_OPTIONS), ...Object.entries(EXEC.options)];
  for (const [name, spec] of all) {
    const longs = [name, ...(spec.alias ?? []).filter((a) => a.length > 1)];
    const short = (spec.alias ?? []).find((a) => a.length === 1);
    for (const [i, long] of longs.entries()) {
      options[long] = { type: spec.type, ...(i === 0 && short ? { short } : {}) };
      meaning.set(long, { name, negated: false });
      // yargs reads --no-NAME as NAME=false for every boolean.
      if (spec.type === 'boolean') {
        options[`no-${long}`] = { type: 'boolean' };
        meaning.set(`no-${long}`, { name, negated: true });
      }
    }
  }
  return { options, meaning };
}

/** What yargs would hand exec's handler for `argv`, or undefined when only yargs should decide. */
export function fastExecArgs(argv: readonly string[]): Parsed | undefined {
  if (argv[0] !== 'exec') return undefined;
  const { options, meaning } = spellings();
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true }));
  } catch {
    return undefined;
  }
  const parsed: Record<string, unknown> = {};
  for (const [name, spec] of [...Object.entries(GLOBAL_OPTIONS), ...Object.entries(EXEC.options)]) {
    if (spec.default !== undefined) parsed[name] = spec.default;
  }
  const before: string[] = [];
  const command: string[] = [];
  const seen = new Set<string>();
  let terminated = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') terminated = true;
    else if (token.kind === 'positional') (terminated ? command : before).push(token.value);
    else {
      // -d1h and friends: yargs reads short-option groups its own way.
      if (!token.rawName.startsWith('--') && token.inlineValue) return undefined;
      const { name, negated } = meaning.get(token.name) as { name: string; negated: boolean };
      const spec = (EXEC.options[name] ?? GLOBAL_OPTIONS[name]) as OptionSpec;
      if (spec.repeatable) {
        parsed[name] = [...(seen.has(name) ? (parsed[name] as string[]) : []), token.value];
      } else {
        if (seen.has(name)) return undefined;
        parsed[name] = spec.type === 'boolean' ? !negated : token.value;
      }
      seen.add(name);
    }
  }
  if (before.length > 2) return undefined;
  return { ...parsed, profile: before[1], command: [], '--': command };
}
