/** A child command for `vault exec … --` that prints its whole environment as JSON on stdout. */
export const printEnv = [process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'];

/** Parses what printEnv wrote. */
export function parseEnv(stdout: string): Record<string, string> {
  return JSON.parse(stdout) as Record<string, string>;
}

/** Parses `vault export --format env` (KEY=VALUE lines): the variables exec gives its command, but AWS_VAULT. */
export function parseExported(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
