// The command line run inside the test process: `run(argv, io)` of packages/cli/src/main.ts, through the real
// command table and command modules to the exit status and output, as packages/cli/src/main.test.ts drives it. A
// `vault` subprocess costs 0.15 to 0.45 s of CPU on the test machines, a run here a few milliseconds: the suites
// that check what vault answers for an input (a config, a vault file) run their corpora here, and keep a few cases
// on the built binary (support/vault.ts) for what only a process shows: its real exit status, stderr and time.
import { runCaptured } from '../../../packages/cli/src/argv/in-process.fixture.js';
import type { Env, RunResult } from './process.js';

// vault reads its environment from io.env, but the AWS SDK it loads reads some settings (FIPS and dual-stack
// endpoints, retries) from process.env and the config file named there. The binary's SDK sees the test's clean
// environment; here it would see the developer's (AWS_USE_FIPS_ENDPOINT=true failed every STS call). So the test
// file's process.env (jest gives each file its own copy) loses its AWS_* variables, as cleanEnv() drops them for a
// child, and names no config or credentials file for the SDK to read.
for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
process.env.AWS_CONFIG_FILE = '/dev/null';
process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';

/**
 * Like runVault, in this process, with `env` as the whole environment vault reads (its io.env). The result has
 * runVault's shape (never a signal or a timeout), so expectOneLineError and describeRun work on it unchanged.
 */
export async function runInProcess(args: readonly string[], options: { env: Env }): Promise<RunResult> {
  const { status, stdout, stderr } = await runCaptured([...args], { ...options.env });
  return { code: status, signal: null, stdout, stderr, timedOut: false };
}
