// Starting and stopping `python3 -m moto.server`. Plain JavaScript so that jest's global setup (which runs outside
// ts-jest) can start the shared servers with the same code the tests use; moto-server.d.mts types it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cleanEnv } from './clean-env.mjs';

/** Where global-setup.mjs tells the test workers about the shared servers: JSON, one entry per jest worker. */
export const SHARED_MOTOS_VARIABLE = 'VAULT_E2E_MOTOS';

/** A port nothing listens on right now: bind port 0, read what the kernel chose, release it. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port assigned'));
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Starts `python3 -m moto.server` on a free port. With `authCount`, moto answers the first `authCount` AWS
 * actions without checking signatures or IAM policies, then enforces both (INITIAL_NO_AUTH_ACTION_COUNT),
 * so a test can create users and keys before authentication starts to matter. With `recordTo`, moto appends every
 * request it receives to that file (its recorder; read it with support/recorded-requests.ts), so a test can check
 * what reached AWS.
 */
export async function startMoto(options = {}) {
  const port = await freePort();
  const env = cleanEnv();
  if (options.authCount !== undefined) env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.authCount);
  if (options.recordTo !== undefined) {
    env.MOTO_ENABLE_RECORDING = 'true';
    env.MOTO_RECORDER_FILEPATH = options.recordTo;
  }
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (d) => {
    // Only the start is useful for diagnosing a failed start; request logs would grow without bound.
    if (log.length < 20_000) log += d;
  });
  const exited = new Promise((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (!running) throw new Error(`moto exited before answering on ${url}:\n${log}`);
    try {
      // /moto-api/ is moto's own dashboard: it answers without counting as an AWS action.
      await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      return { url, port, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`moto did not answer on ${url}:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
