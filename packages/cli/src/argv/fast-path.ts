// Every plain command line without yargs. yargs (with its terminal-width and locale tables) costs about as much to
// load as Node itself, and `vault exec P -- CMD`, `vault export --format json P` (what an SDK runs for a
// credential_process profile) and `vault list` are run often enough for that to matter. This parser reads a
// command's options and positionals from the command table (argv/commands.ts), so what is added there is understood
// here too, and takes only their plain forms: for anything else (help, version, a group of subcommands, unknown or
// repeated options, short-option groups, a value outside its choices, a missing required argument, options after
// a command's words) it answers undefined and main.ts gives the line to yargs, which decides.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS } from './commands.js';
import { findCommand, GLOBAL_OPTIONS, type CommandSpec, type OptionSpec, type Parsed } from './spec.js';

type ParseOptions = NonNullable<ParseArgsConfig['options']>;
type Meaning = { name: string; negated: boolean };

/** node:util's options for every spelling of a command's options, and the canonical name each spelling means. */
function spellings(all: [string, OptionSpec][]): { options: ParseOptions; meaning: Map<string, Meaning> } {
  const options: ParseOptions = {};
  const meaning = new Map<string, Meaning>();
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

type Token = { kind: 'positional'; value: string } | { kind: 'option-terminator' } | { kind: 'option'; name: string; rawName: string; value?: string; inlineValue?: boolean };

/**
 * The tokens node:util's parser gives a command line with no option before its `--` (`vault exec P -- CMD`, `vault
 * list`): each word, the terminator, each word after it. Such a line needs neither the parser nor the option
 * spellings it is given, ~1-2 ms of a cached `vault exec` (docs/benchmarks.md, "Start-up, round 6"); any word
 * before `--` that starts with `-` (an option, or `-` alone) goes to the parser.
 */
export function tokensWithoutOptions(args: readonly string[]): Token[] | undefined {
  const tokens: Token[] = [];
  let terminated = false;
  for (const value of args) {
    if (terminated) tokens.push({ kind: 'positional', value });
    else if (value === '--') {
      terminated = true;
      tokens.push({ kind: 'option-terminator' });
    } else if (value.startsWith('-')) return undefined;
    else tokens.push({ kind: 'positional', value });
  }
  return tokens;
}

/** The command `argv` names and what yargs would hand its handler, or undefined when only yargs should decide. */
export function fastArgs(argv: readonly string[]): { spec: CommandSpec; parsed: Parsed } | undefined {
  const spec = findCommand(COMMANDS, argv[0]);
  if (!spec?.run || spec.subcommands) return undefined;
  const all: [string, OptionSpec][] = [...Object.entries(GLOBAL_OPTIONS), ...Object.entries(spec.options)];
  let meaning = new Map<string, Meaning>();
  let tokens = tokensWithoutOptions(argv.slice(1));
  if (!tokens) {
    const spelled = spellings(all);
    meaning = spelled.meaning;
    try {
      ({ tokens } = parseArgs({ args: argv.slice(1), options: spelled.options, strict: true, allowPositionals: true, tokens: true }));
    } catch {
      return undefined;
    }
  }
  const parsed: Record<string, unknown> = {};
  for (const [name, option] of all) if (option.default !== undefined) parsed[name] = option.default;
  const fixed = spec.positionals.filter((p) => !p.variadic).length;
  const words: string[] = [];
  const afterDashes: string[] = [];
  const seen = new Set<string>();
  let terminated = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') terminated = true;
    else if (token.kind === 'positional') (terminated ? afterDashes : words).push(token.value);
    else {
      // `vault exec P aws s3 ls --region x`: after a command's words, an option may be the command's (yargs path
      // names the missing `--`).
      if (words.length > fixed) return undefined;
      // -d1h and friends: yargs reads short-option groups its own way.
      if (!token.rawName.startsWith('--') && token.inlineValue) return undefined;
      const { name, negated } = meaning.get(token.name) as Meaning;
      const option = all.find(([n]) => n === name)?.[1] as OptionSpec;
      if (option.repeatable) {
        parsed[name] = [...(seen.has(name) ? (parsed[name] as string[]) : []), token.value];
      } else {
        if (seen.has(name)) return undefined;
        parsed[name] = option.type === 'boolean' ? !negated : token.value;
      }
      if (option.choices && !option.choices.includes(String(parsed[name]))) return undefined;
      seen.add(name);
    }
  }
  if (all.some(([name, option]) => option.required && parsed[name] === undefined)) return undefined;
  const variadic = spec.positionals.find((p) => p.variadic);
  // Words after `--` belong to a command that takes them (exec's); elsewhere yargs says what they are.
  if (terminated && !variadic) return undefined;
  if (words.length > fixed && !variadic) return undefined;
  for (const [i, p] of spec.positionals.entries()) {
    const value = p.variadic ? words.slice(i) : words[i];
    // An empty word is a value (`vault exec '' -- CMD` names the empty profile, which resolution refuses).
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      if (p.required) return undefined;
      if (p.variadic) parsed[p.name] = [];
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    if (p.choices && values.some((v) => !p.choices?.includes(v))) return undefined;
    parsed[p.name] = value;
  }
  return { spec, parsed: { ...parsed, '--': afterDashes } };
}
