/** An error raised by the CLI layer itself (usage, prompts, nesting), with a stable code for the catalogue. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
