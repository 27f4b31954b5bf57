// The command line run inside the test process: `run(argv, io)` of packages/cli/src/main.ts, through the real
// command table and command modules to the exit status and output, as packages/cli/src/main.test.ts drives it. A
// `vault` subprocess costs 0.15 to 0.45 s of CPU on the test machines, a run here a few milliseconds: the suites
// that check what vault answers for an input (a config, a vault file) run their corpora here, and keep a few cases
// on the built binary (support/vault.ts) for what only a process shows: its real exit status, stderr and time.
import { runCaptured } from '../../../packages/cli/src/argv/in-process.fixture.js';
import type { Env, RunResult } from './process.js';

/**
 * Like runVault, in this process, with `env` as the whole environment vault reads (its io.env). The result has
 * runVault's shape (never a signal or a timeout), so expectOneLineError and describeRun work on it unchanged.
 */
export async function runInProcess(args: readonly string[], options: { env: Env }): Promise<RunResult> {
  const { status, stdout, stderr } = await runCaptured([...args], { ...options.env });
  return { code: status, signal: null, stdout, stderr, timedOut: false };
}
