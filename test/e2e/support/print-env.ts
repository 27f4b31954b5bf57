/** A child command for `vault exec … --` that prints its whole environment as JSON on stdout. */
export const printEnv = [process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'];

/** Parses what printEnv wrote. */
export function parseEnv(stdout: string): Record<string, string> {
  return JSON.parse(stdout) as Record<string, string>;
}
