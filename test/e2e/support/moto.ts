import { SHARED_MOTOS_VARIABLE, type Moto } from './moto-server.mjs';

export { freePort, startMoto, type Moto } from './moto-server.mjs';

/** A moto server shared by the test files of a jest worker: it outlives the file, so it has no stop(). */
export interface SharedMoto extends Omit<Moto, 'stop'> {
  /** The file moto's recorder appends requests to (read it with support/recorded-requests.ts); set with `record`. */
  recording?: string;
}

interface SharedServer {
  url: string;
  port: number;
  recording: string;
}

/** The server global-setup.mjs started for this jest worker. */
function workerServer(): SharedServer {
  const listed = process.env[SHARED_MOTOS_VARIABLE];
  if (!listed) throw new Error(`${SHARED_MOTOS_VARIABLE} is not set: run the e2e tests through jest.config.ts, whose globalSetup starts moto`);
  const servers = JSON.parse(listed) as SharedServer[];
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const server = servers[worker - 1];
  if (!server) throw new Error(`no shared moto for jest worker ${worker} (${servers.length} started)`);
  return server;
}

async function post(url: string, body = ''): Promise<void> {
  const response = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
}

/**
 * This jest worker's moto server, started once per test run by global-setup.mjs, reset to the state of a server
 * just started: no users, roles, keys or sessions in any account, nothing recorded. A worker runs one test file at
 * a time, so nothing else uses the server meanwhile. Options as startMoto's: `authCount` (moto's
 * INITIAL_NO_AUTH_ACTION_COUNT, set through its /moto-api/reset-auth) and `record` (its recorder, turned on through
 * /moto-api/recorder/). Calling it again resets the server again.
 */
export async function sharedMoto(options: { authCount?: number; record?: boolean } = {}): Promise<SharedMoto> {
  const { url, port, recording } = workerServer();
  await post(`${url}/moto-api/reset`);
  await post(`${url}/moto-api/reset-auth`, String(options.authCount ?? 'inf'));
  await post(`${url}/moto-api/recorder/stop-recording`);
  await post(`${url}/moto-api/recorder/reset-recording`);
  if (options.record) await post(`${url}/moto-api/recorder/start-recording`);
  return options.record ? { url, port, recording } : { url, port };
}
