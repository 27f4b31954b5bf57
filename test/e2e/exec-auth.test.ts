import { jest } from '@jest/globals';
import { awsSetup, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';

// How vault explains what an STS that checks signatures answers: in-process (support/in-process.ts).

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'auth e2e passphrase';

// Moto answers the setup calls (create user, key, policy) unauthenticated, then checks every signature.
const SETUP_ACTIONS = 3;

let moto: SharedMoto;
let box: Sandbox;
let keys: Keys;

function env(extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

async function store(profile: string, stored: Keys) {
  expectSuccess(await runInProcess(['add', '--env', profile], {
    env: env({ AWS_ACCESS_KEY_ID: stored.accessKeyId, AWS_SECRET_ACCESS_KEY: stored.secretAccessKey }),
  }));
}

beforeAll(async () => {
  moto = await sharedMoto({ authCount: SETUP_ACTIONS });
  const setup = awsSetup(moto);
  await setup.createUser('signer');
  keys = await setup.createAccessKey('signer');
  await setup.allowEverything('signer');
  box = await sandbox({ passphrase: PASSPHRASE });
  await store('good', keys);
  await store('bad-secret', { accessKeyId: keys.accessKeyId, secretAccessKey: fakeKeys().secretAccessKey });
  await store('unknown-key', fakeKeys());
});
afterAll(async () => {
  await box?.remove();
});

describe('vault exec against an STS that checks signatures', () => {
  it('signs correctly with the stored keys', async () => {
    expectSuccess(await runInProcess(['exec', 'good', '--', 'true'], { env: env() }));
  });

  it('explains a wrong stored secret in one line, without printing it', async () => {
    const result = await runInProcess(['exec', 'bad-secret', '--', 'true'], { env: env() });
    expectOneLineError(result, /signature|secret|key/i);
    expect(result.stderr).not.toContain(keys.secretAccessKey);
  });

  it('explains an access key id STS does not know in one line', async () => {
    expectOneLineError(await runInProcess(['exec', 'unknown-key', '--', 'true'], { env: env() }), /key|token|credential/i);
  });
});
