// The command line run in-process for tests: a throw-away HOME's environment, and `run` with its output captured.
import { join } from 'node:path';
import { run } from '../main.js';

/** Every file vault touches inside `dir`, and the passphrase from the environment. */
export function inProcessEnv(dir: string): NodeJS.ProcessEnv {
  return {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_VAULT_FILE_DIR: join(dir, 'vault'),
    XDG_RUNTIME_DIR: dir,
    AWS_VAULT_FILE_PASSPHRASE: 'correct horse',
  };
}

/** Real argv through `run` to the exit status and what it wrote to stdout and stderr. */
export async function runCaptured(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    columns: 100,
    // Never: vault would otherwise prompt on the terminal `npm test` was started from, if any.
    interactive: () => false,
  });
  return { status, stdout, stderr };
}
