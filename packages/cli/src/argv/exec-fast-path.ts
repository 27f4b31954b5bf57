// `vault exec [PROFILE] [options] -- CMD` without yargs. yargs (with its terminal-width and locale tables) costs
// about as much to load as Node itself, on the command that prefixes everything a user runs. This parser takes
// only the plain forms of exec's own options and answers undefined for anything else (help, unknown or repeated
// options, short-option groups, a command not after `--`), which main.ts then gives to yargs as before. So an
// option added to `exec` in main.ts needs nothing here (it simply goes through yargs); changing what an existing
// one means needs the same change here.
import { parseArgs } from 'node:util';
import type { ExecArgs } from '../commands/exec.js';
import { parseDuration } from '../credentials/duration.js';

const OPTIONS = {
  debug: { type: 'boolean' },
  session: { type: 'boolean' },
  'no-session': { type: 'boolean' },
  duration: { type: 'string', short: 'd' },
  'mfa-token': { type: 'string', short: 't' },
  region: { type: 'string' },
  assume: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

export interface FastExec {
  debug: boolean;
  args: ExecArgs;
}

/** The profile a command acts on when none is named: $AWS_PROFILE, then "default" (as the AWS CLI does). */
export function defaultProfile(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return given ?? env.AWS_PROFILE ?? 'default';
}

/** The exec arguments yargs would produce for `argv`, or undefined when only yargs should decide. */
export function fastExecArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): FastExec | undefined {
  if (argv[0] !== 'exec') return undefined;
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
  } catch {
    return undefined;
  }
  const { values, tokens } = parsed;
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
      if (seen.has(token.name) && token.name !== 'assume') return undefined;
      seen.add(token.name);
    }
  }
  if (before.length > 2 || (seen.has('session') && seen.has('no-session'))) return undefined;
  return {
    debug: values.debug === true,
    args: {
      profile: defaultProfile(before[1], env),
      noSession: values['no-session'] === true,
      durationSeconds: values.duration === undefined ? undefined : parseDuration(values.duration),
      mfaToken: values['mfa-token'],
      region: values.region,
      assume: values.assume ?? [],
      command,
      json: values.json === true,
      server: false,
    },
  };
}
