import { spawn } from 'node:child_process';
import { withoutPassphrases } from '../vault-access/helper-env.js';
import { CredentialProcessError } from './errors.js';
import type { AwsCredentials } from './types.js';

const MAX_OUTPUT = 1024 * 1024;

/**
 * Runs a `credential_process` command through the shell, as the AWS CLI does, and parses its JSON. Its stdout may
 * hold secrets, so no error repeats any of it. stdin is not shared: under `vault exec` it belongs to the child
 * command; a process that must prompt uses the terminal directly (stderr passes through for its messages).
 */
export function runCredentialProcess(command: string): Promise<AwsCredentials> {
  return new Promise((resolve, reject) => {
    const fail = (detail: string) => reject(new CredentialProcessError(undefined, detail));
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'inherit'], env: withoutPassphrases(process.env) });
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT) chunks.push(chunk);
    });
    child.on('error', (err: NodeJS.ErrnoException) => fail(`could not start it (${err.code ?? err.message})`));
    child.on('close', (status, signal) => {
      if (signal) return fail(`it was killed by ${signal}`);
      if (status !== 0) return fail(`it exited with status ${status}`);
      if (size > MAX_OUTPUT) return fail(`it printed more than ${MAX_OUTPUT} bytes`);
      try {
        resolve(parseProcessOutput(Buffer.concat(chunks).toString('utf8'), new Date()));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** Pure: validates the credential_process JSON (Version 1). */
export function parseProcessOutput(stdout: string, now: Date): AwsCredentials {
  const fail = (detail: string): never => {
    throw new CredentialProcessError(undefined, detail);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    // The parser's message quotes the input, which may be a secret: say only what was wrong.
    return fail(`its output is not JSON (${stdout.length} characters)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('its output is not a JSON object');
  const o = parsed as Record<string, unknown>;
  if (o.Version !== 1) return fail('its JSON must have "Version": 1');
  if (typeof o.AccessKeyId !== 'string' || !o.AccessKeyId) return fail('its JSON has no AccessKeyId');
  if (typeof o.SecretAccessKey !== 'string' || !o.SecretAccessKey) return fail('its JSON has no SecretAccessKey');
  if (o.SessionToken !== undefined && typeof o.SessionToken !== 'string') return fail('its SessionToken is not a string');
  const creds: AwsCredentials = { accessKeyId: o.AccessKeyId, secretAccessKey: o.SecretAccessKey };
  if (o.SessionToken) creds.sessionToken = o.SessionToken;
  if (o.Expiration !== undefined) {
    const expiration = typeof o.Expiration === 'string' ? new Date(o.Expiration) : undefined;
    if (!expiration || Number.isNaN(expiration.getTime())) return fail('its Expiration is not an ISO 8601 time');
    if (expiration.getTime() <= now.getTime()) {
      return fail(`it returned credentials that expired at ${expiration.toISOString()}`);
    }
    creds.expiration = expiration;
  }
  return creds;
}
