// Programs the user's config names to hand vault a secret (credential_process, mfa_process, a prompt driver): run
// with the passphrase variables removed, stderr passed through for their own messages, and stdout read up to a
// bound. Their output is a secret, so a failure is described by how the program ended, never by what it printed.
import { spawn } from 'node:child_process';
import { withoutPassphrases } from '../vault-access/helper-env.js';

/** A shell command line (as the AWS CLI runs credential_process), or a program with its arguments. */
export type HelperCommand = { shell: string } | { file: string; args: string[] };

/**
 * Resolves with the program's stdout when it exits 0 having printed at most `maxBytes`; otherwise rejects with
 * `fail(detail)`, where detail says how it ended ("it exited with status 7"). It runs in `env`, the run's own
 * environment (the command's io.env), less the passphrase variables: in-process that is not process.env.
 */
export function helperOutput(
  command: HelperCommand,
  opts: { env: NodeJS.ProcessEnv; stdin: 'inherit' | 'ignore'; maxBytes: number; fail: (detail: string) => Error },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (detail: string) => reject(opts.fail(detail));
    const stdio: ['inherit' | 'ignore', 'pipe', 'inherit'] = [opts.stdin, 'pipe', 'inherit'];
    const env = withoutPassphrases(opts.env);
    const child =
      'shell' in command ? spawn(command.shell, { shell: true, stdio, env }) : spawn(command.file, command.args, { stdio, env });
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= opts.maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Past the bound the answer is known: stop reading (a writer that goes on gets EPIPE) and stop the program,
      // which may never end on its own (`yes`).
      chunks.length = 0;
      child.stdout.destroy();
      child.kill('SIGTERM');
      fail(`it printed more than ${opts.maxBytes} bytes`);
    });
    child.on('error', (err: NodeJS.ErrnoException) => fail(`could not start it (${err.code ?? err.message})`));
    child.on('close', (status, signal) => {
      if (signal) return fail(`it was killed by ${signal}`);
      if (status !== 0) return fail(`it exited with status ${status}`);
      // Already refused when the bound was passed; kept so that no order of events can resolve with a cut answer.
      if (size > opts.maxBytes) return fail(`it printed more than ${opts.maxBytes} bytes`);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
