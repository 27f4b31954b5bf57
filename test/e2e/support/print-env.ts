/**
 * A child command for `vault exec … --` that prints its whole environment on stdout: coreutils' env, each
 * VAR=VALUE ended by a NUL, so a value may hold any other character. A Node child would cost ~0.15 s of CPU a run.
 */
export const printEnv = ['/usr/bin/env', '-0'];

/** Parses what printEnv wrote. */
export function parseEnv(stdout: string): Record<string, string> {
  return keyValues(stdout.split('\0'));
}

/** Parses `vault export --format env` (KEY=VALUE lines): the variables exec gives its command, but AWS_VAULT. */
export function parseExported(stdout: string): Record<string, string> {
  return keyValues(stdout.split('\n'));
}

/** KEY=VALUE entries (the value may hold `=`), empty ones skipped. */
function keyValues(entries: string[]): Record<string, string> {
  return Object.fromEntries(entries.filter((entry) => entry !== '').map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}
