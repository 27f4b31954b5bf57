// Many vault processes on one vault at once, through the built binary: no update may be lost, no credential
// clobbered, and the file must keep opening.
import { jest } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import { awsSetup, type Keys } from './support/aws-setup.js';
import { fakeKeys } from './support/fake-keys.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { parseEnv, printEnv } from './support/print-env.js';
import type { Env, RunResult } from './support/process.js';
import { createFixtureVault, sandbox, type Sandbox } from './support/sandbox.js';
import { describeRun, runVault } from './support/vault.js';
import { corpusSize } from './support/sizes.js';
import { unlockInProcess } from './support/vault-state.js';

jest.setTimeout(180_000);

const PASSPHRASE = 'concurrency e2e passphrase';
// Eight processes started together on two cores overlap their read-modify-write of the vault, so a lost update
// would show (packages/core's concurrency.test.ts races the lock itself harder); 20 in test:full.
const WRITERS = corpusSize(8, 20);
// Creating a vault costs its real KDF (about a second of CPU and 64 MiB per process): a handful of creators already
// all find the vault missing and race to create it, so every one but the first takes the join path.
const CREATORS = 4;
// Through the agent a write costs no KDF, so more of them overlap. An exploratory run of 25 on a busy machine saw 4-6
// give up after five conflicts, asking for a passphrase there was none to give (vault-access.test.ts pins that down).
const AGENT_WRITERS = corpusSize(16, 25);

function failures(results: RunResult[]): string[] {
  return results.filter((r) => r.code !== 0).map(describeRun);
}

async function addAll(box: Sandbox, profiles: string[], passphrase: string | undefined = PASSPHRASE): Promise<Map<string, Keys>> {
  const keys = new Map(profiles.map((p) => [p, fakeKeys()] as const));
  const results = await Promise.all(
    profiles.map((p) =>
      runVault(['add', '--env', p], {
        env: {
          ...box.env,
          ...(passphrase !== undefined && { AWS_VAULT_FILE_PASSPHRASE: passphrase }),
          AWS_ACCESS_KEY_ID: keys.get(p)!.accessKeyId,
          AWS_SECRET_ACCESS_KEY: keys.get(p)!.secretAccessKey,
        },
        timeoutMs: 120_000,
      }),
    ),
  );
  expect(failures(results)).toEqual([]);
  return keys;
}

describe(`${WRITERS} vault add --env at once`, () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
  });
  afterEach(async () => {
    await box.remove();
  });

  async function expectStored(expected: Map<string, Keys>) {
    const data = await (await unlockInProcess(box.vaultFile, PASSPHRASE)).read();
    const stored = Object.fromEntries(Object.entries(data.credentials).map(([p, c]) => [p, c.secretAccessKey]));
    expect(stored).toEqual(Object.fromEntries([...expected].map(([p, k]) => [p, k.secretAccessKey])));
    // No lock directory or temp file survives a run in which every process finished.
    expect(await readdir(box.vaultDir)).toEqual(['vault']);
  }

  it('stores every profile in an existing vault', async () => {
    // A profile already stored (through @vault/core) that every writer must carry over.
    const first = new Map([['already-there', fakeKeys()]]);
    await createFixtureVault(box.vaultFile, PASSPHRASE, Object.fromEntries(first));
    const added = await addAll(box, Array.from({ length: WRITERS }, (_, i) => `writer-${i}`));
    await expectStored(new Map([...first, ...added]));
  });

  it('stores every profile through the agent of `vault unlock`, with no passphrase anywhere', async () => {
    // Each writer computes its change on what it read and the agent refuses one made on an older state, so with
    // many at once most lose a few times; they must go on until they get in, not fall back to asking a passphrase.
    const first = new Map([['already-there', fakeKeys()]]);
    await createFixtureVault(box.vaultFile, PASSPHRASE, Object.fromEntries(first));
    expect(failures([await runVault(['unlock', '--ttl', '5m'], { env: { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE } })])).toEqual([]);
    try {
      const added = await addAll(box, Array.from({ length: AGENT_WRITERS }, (_, i) => `via-agent-${i}`), undefined);
      const data = await (await unlockInProcess(box.vaultFile, PASSPHRASE)).read();
      expect(Object.keys(data.credentials).sort()).toEqual([...first.keys(), ...added.keys()].sort());
    } finally {
      await runVault(['lock'], { env: box.env });
    }
  });

  it('creates the vault once and stores every profile when none exists yet', async () => {
    const added = await addAll(box, Array.from({ length: CREATORS }, (_, i) => `creator-${i}`));
    await expectStored(added);
  });
});

describe(`${WRITERS} parallel vault exec of uncached role profiles`, () => {
  let moto: SharedMoto;
  let box: Sandbox;
  let baseKeys: Keys;

  beforeAll(async () => {
    moto = await sharedMoto();
    const setup = awsSetup(moto);
    await setup.createUser('racer');
    baseKeys = await setup.createAccessKey('racer');
    const roleArn = await setup.createRole('race-role');
    // The base keys stored through @vault/core: the racing execs are what is tested.
    box = await sandbox({ passphrase: PASSPHRASE, stored: { base: baseKeys } });
    // A session name of their own puts each profile's session under its own cache key.
    const roles = Array.from(
      { length: WRITERS },
      (_, i) => `[profile role-${i}]\nsource_profile = base\nrole_arn = ${roleArn}\nrole_session_name = race-${i}\n`,
    );
    await box.writeConfig(`[profile base]\n\n[profile shared]\nsource_profile = base\nrole_arn = ${roleArn}\n\n${roles.join('\n')}`);
  });
  afterAll(async () => {
    await box?.remove();
  });

  function env(): Env {
    return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url };
  }

  /** Runs `vault exec PROFILE -- printenv-as-json` for each profile at once; returns each child's session token. */
  async function execAll(profiles: string[]): Promise<string[]> {
    const results = await Promise.all(profiles.map((p) => runVault(['exec', p, '--', ...printEnv], { env: env(), timeoutMs: 120_000 })));
    expect(failures(results)).toEqual([]);
    return results.map((r) => parseEnv(r.stdout).AWS_SESSION_TOKEN ?? '');
  }

  async function vaultContents() {
    const data = await (await unlockInProcess(box.vaultFile, PASSPHRASE)).read();
    expect(data.credentials.base?.secretAccessKey).toBe(baseKeys.secretAccessKey);
    expect(data.credentials.base?.accessKeyId).toBe(baseKeys.accessKeyId);
    expect(Object.keys(data.credentials)).toEqual(['base']);
    return data;
  }

  it('all succeed on one profile; the credentials survive and the cached session is one a child got', async () => {
    const tokens = await execAll(Array.from({ length: WRITERS }, () => 'shared'));
    expect(tokens.every((t) => t !== '')).toBe(true);
    const data = await vaultContents();
    const roleSessions = Object.values(data.sessions).filter((s) => s.profile === 'shared');
    expect(roleSessions).toHaveLength(1);
    expect(tokens).toContain(roleSessions[0]!.sessionToken);
  });

  it('all succeed on distinct profiles and every session is cached: no write lost another', async () => {
    const profiles = Array.from({ length: WRITERS }, (_, i) => `role-${i}`);
    const tokens = await execAll(profiles);
    const data = await vaultContents();
    const cached = Object.fromEntries(
      Object.values(data.sessions)
        .filter((s) => s.profile.startsWith('role-'))
        .map((s) => [s.profile, s.sessionToken]),
    );
    expect(cached).toEqual(Object.fromEntries(profiles.map((p, i) => [p, tokens[i]])));
  });
});
