import { vaultBin } from './paths.js';
import { run, start, type RunOptions, type RunResult, type Started } from './process.js';

/** Runs the built `vault` CLI with exactly the given environment (see RunOptions). */
export function runVault(args: readonly string[], options: RunOptions): Promise<RunResult> {
  return run(process.execPath, [vaultBin, ...args], options);
}

/** Like runVault, but hands back the child so a test can signal it while it runs. */
export function startVault(args: readonly string[], options: RunOptions): Started {
  return start(process.execPath, [vaultBin, ...args], options);
}

/** Non-empty stderr lines: the CLI promises exactly one for an error. */
export function stderrLines(result: RunResult): string[] {
  return result.stderr.split('\n').filter((line) => line.trim() !== '');
}

/** A readable summary for assertion messages. */
export function describeRun(result: RunResult): string {
  return `code=${result.code} signal=${result.signal} timedOut=${result.timedOut}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}
