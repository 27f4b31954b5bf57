// jest globalSetup of the e2e project: one moto server per jest worker, started once for the whole run instead of
// once per test file (each start costs about 2 s of CPU). Within a worker test files run one after another, so
// sharedMoto() (moto.ts) can reset the worker's server to a fresh state for each file. The servers' addresses go to
// the workers through SHARED_MOTOS_VARIABLE; global-teardown.mjs stops them.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathPastShims } from '../../../scripts/lib/tool-shims.mjs';
import { SHARED_MOTOS_VARIABLE, startMoto } from './moto-server.mjs';

export default async function globalSetup(globalConfig) {
  // The workers inherit this PATH: the AWS CLI and python3 without pyenv's shims (scripts/lib/tool-shims.mjs).
  process.env.PATH = pathPastShims(process.env.PATH);
  const dir = await mkdtemp(join(tmpdir(), 'vault-e2e-motos-'));
  // Worker ids run from 1 to maxWorkers; a run in band is worker 1.
  const count = Math.max(1, globalConfig.maxWorkers);
  const servers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      // The recorder's file is fixed when moto starts; sharedMoto() turns recording on only for the files that ask.
      const recording = join(dir, `requests-${i + 1}.jsonl`);
      // Started once per run, so a slow start on a busy machine is worth waiting for.
      return { recording, moto: await startMoto({ recordTo: recording, timeoutMs: 120_000 }) };
    }),
  );
  globalThis.vaultE2eShared = { dir, servers };
  process.env[SHARED_MOTOS_VARIABLE] = JSON.stringify(servers.map(({ moto, recording }) => ({ url: moto.url, port: moto.port, recording })));
}
