// jest globalTeardown of the e2e project: stops the servers global-setup.mjs started and removes their recordings.
import { rm } from 'node:fs/promises';
import { SHARED_MOTOS_VARIABLE } from './moto-server.mjs';

export default async function globalTeardown() {
  const shared = globalThis.vaultE2eShared;
  if (!shared) return;
  await Promise.all(shared.servers.map(({ moto }) => moto.stop()));
  await rm(shared.dir, { recursive: true, force: true });
  delete process.env[SHARED_MOTOS_VARIABLE];
}
