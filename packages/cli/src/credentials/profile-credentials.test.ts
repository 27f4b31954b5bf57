// The path exec, export, whoami and login share, in-process: a real config file and a real vault on disk, the fake
// STS instead of AWS.
import { jest } from '@jest/globals';
import { getSession, putCredentials, VaultFile } from '@vault/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentClient } from '../agent/client.js';
import { agentLocation } from '../agent/location.js';
import { startAgentServer } from '../agent/server.js';
import { createContext, type Context } from '../io/context.js';
import { CredentialProcessError } from './errors.js';
import { fakeSts } from './fake-sts.fixture.js';
import { profileCredentials, type CredentialRequest, type CredentialServices } from './profile-credentials.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const KEYS = { accessKeyId: 'AKIABASEKEY000000001', secretAccessKey: 'base-secret-0123456789abcdefghijklmnop' };
const ROLE = 'arn:aws:iam::123456789012:role/admin';
const FAST_KDF = { alg: 'argon2id13' as const, opslimit: 1, memlimit: 8 * 1024 * 1024 };

let dir: string;
let ctx: Context;
let now: number;
let stderr: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-profile-credentials-'));
  now = T0;
  stderr = '';
  const env = {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_VAULT_FILE_DIR: join(dir, 'vault'),
    XDG_RUNTIME_DIR: dir,
    AWS_VAULT_FILE_PASSPHRASE: 'correct horse',
  };
  ctx = {
    ...createContext({ debug: true, io: { env, stdout: () => {}, stderr: (t) => (stderr += t) } }),
    clock: () => new Date(now),
  };
  await writeFile(env.AWS_CONFIG_FILE, `[profile base]\nregion = eu-west-1\n\n[profile admin]\nrole_arn = ${ROLE}\nsource_profile = base\n\n[profile tool]\ncredential_process = my-tool\n`);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function storeKeys(): Promise<void> {
  const file = new VaultFile(ctx.vaultPath);
  const key = await file.create('correct horse', FAST_KDF);
  await file.update(key, (d) => putCredentials(d, 'base', { ...KEYS, addedAt: new Date(T0).toISOString() }));
}

function services(sts = fakeSts(() => now)): CredentialServices & { calls: typeof sts.calls; processes: string[] } {
  const processes: string[] = [];
  return {
    sts: sts.factory,
    calls: sts.calls,
    processes,
    runCredentialProcess: async (command) => {
      processes.push(command);
      return { accessKeyId: 'ASIAPROCESS', secretAccessKey: 'process-secret', sessionToken: 'process-token' };
    },
  };
}

const request = (profile: string, more: Partial<CredentialRequest> = {}): CredentialRequest => ({ profile, noSession: false, assume: [], ...more });

test('a role profile: AssumeRole with the stored keys (no MFA device, so no GetSessionToken), in the region given; cached in the vault', async () => {
  await storeKeys();
  const fake = services();
  const first = await profileCredentials(ctx, request('admin'), { services: fake });
  expect(first.credentials.accessKeyId).toBe('ASIAISSUED1');
  expect(fake.calls.map((c) => c.region)).toEqual([first.region]);
  expect(fake.calls.map((c) => [c.op, c.with])).toEqual([['AssumeRole', KEYS.secretAccessKey]]);
  expect(fake.calls[0]?.params).toMatchObject({ roleArn: ROLE });

  // The second run finds the session in the vault and makes no call.
  const again = services();
  expect((await profileCredentials(ctx, request('admin'), { services: again })).credentials.accessKeyId).toBe('ASIAISSUED1');
  expect(again.calls).toEqual([]);
  const data = await new VaultFile(ctx.vaultPath).read(await new VaultFile(ctx.vaultPath).unlock('correct horse'));
  expect(Object.keys(data.sessions ?? {}).length).toBe(1);
  expect(getSession(data, Object.keys(data.sessions ?? {})[0] as string, new Date(now))).toBeDefined();
});

test('--no-session on a keys profile: the stored keys, no STS call; the region comes from the profile', async () => {
  await storeKeys();
  const fake = services();
  const got = await profileCredentials(ctx, request('base', { noSession: true }), { services: fake });
  expect(got.credentials).toEqual(KEYS);
  expect(got.region).toBe('eu-west-1');
  expect(fake.calls).toEqual([]);
});

test('a credential_process profile needs no vault: no passphrase, no STS', async () => {
  const fake = services();
  const got = await profileCredentials(ctx, request('tool'), { services: fake });
  expect(got.credentials.accessKeyId).toBe('ASIAPROCESS');
  expect(fake.processes).toEqual(['my-tool']);
  expect(fake.calls).toEqual([]);
});

test("a profile whose credential_process is vault's own for it opens the vault, even by asking: its stored keys, not a second vault", async () => {
  // aws-vault's USAGE.md: `credential_process = aws-vault export --format=json --no-session P` on the profile holding
  // P's keys. Run with the vault locked, the process was a second vault asking for the passphrase and handing back
  // P's long-lived keys, where the session P's settings ask for was due.
  await writeFile(ctx.configPath, '[profile base]\ncredential_process = vault export --format=json --no-session base\n\n[profile tool]\ncredential_process = my-tool base\n');
  await storeKeys();
  const { AWS_VAULT_FILE_PASSPHRASE: _, ...locked } = ctx.env;
  const lockedCtx = { ...ctx, env: locked };
  const unlocks: string[] = [];
  const unlock = async () => {
    unlocks.push('asked');
    return new VaultFile(ctx.vaultPath).unlock('correct horse');
  };
  const fake = services();
  const got = await profileCredentials(lockedCtx, request('base'), { services: fake, unlock });
  expect({ unlocks, processes: fake.processes, calls: fake.calls.map((c) => [c.op, c.with]) }).toEqual({ unlocks: ['asked'], processes: [], calls: [['GetSessionToken', KEYS.secretAccessKey]] });
  expect(got.credentials.accessKeyId).toBe('ASIAISSUED1');
  // With no keys stored for the profile, the one line the process would end with, without starting it.
  await writeFile(ctx.configPath, '[profile base]\ncredential_process = vault export --format=json --no-session base\n\n[profile nokeys]\ncredential_process = vault export --format json nokeys\n\n[profile tool]\ncredential_process = my-tool base\n');
  const none = services();
  await expect(profileCredentials(lockedCtx, request('nokeys'), { services: none, unlock })).rejects.toThrow(/it runs vault for nokeys, which has no keys stored/);
  expect({ unlocks, processes: none.processes }).toEqual({ unlocks: ['asked', 'asked'], processes: [] });
  unlocks.length = 1;
  // Another tool's process is run without asking for the passphrase.
  const other = services();
  await profileCredentials(lockedCtx, request('tool'), { services: other, unlock });
  expect({ unlocks, processes: other.processes }).toEqual({ unlocks: ['asked'], processes: ['my-tool base'] });
});

test('an include_profile naming no section is ignored, as aws-vault ignores it, and said on a terminal', async () => {
  await writeFile(ctx.configPath, '[default]\nparent_profile = old\n\n[profile base]\ninclude_profile = gone\nregion = eu-west-2\n');
  await storeKeys();
  const onTerminal = { ...ctx, notice: (m: string) => (stderr += `${m}\n`) };
  const got = await profileCredentials(onTerminal, request('base', { noSession: true }), { services: services() });
  expect({ keys: got.credentials, region: got.region }).toEqual({ keys: KEYS, region: 'eu-west-2' });
  expect(stderr).toContain('include_profile gone of profile base names no section: ignored, as aws-vault ignores it\n');
  expect(stderr).toContain('parent_profile old of profile default names no section');
});

test("a credential_process's temporary credentials are cached in a vault opened without asking, as aws-vault caches them", async () => {
  await storeKeys();
  const expiring = (): CredentialServices & { processes: string[] } => {
    const fake = services();
    return {
      ...fake,
      runCredentialProcess: async (command) => {
        fake.processes.push(command);
        return { accessKeyId: 'ASIAPROCESS', secretAccessKey: 'process-secret', sessionToken: 'process-token', expiration: new Date(now + 3_600_000) };
      },
    };
  };
  const first = expiring();
  await profileCredentials(ctx, request('tool'), { services: first });
  const again = expiring();
  const got = await profileCredentials(ctx, request('tool'), { services: again });
  expect({ first: first.processes, again: again.processes, key: got.credentials.accessKeyId }).toEqual({ first: ['my-tool'], again: [], key: 'ASIAPROCESS' });
  // Another command is not answered from the first one's cache.
  await writeFile(ctx.configPath, '[profile tool]\ncredential_process = my-tool --other\n');
  const changed = expiring();
  await profileCredentials(ctx, request('tool'), { services: changed });
  expect(changed.processes).toEqual(['my-tool --other']);
  await writeFile(ctx.configPath, '[profile tool]\ncredential_process = my-tool\n');
  // Within 5 minutes of its end it is run again.
  now += 56 * 60_000;
  const late = expiring();
  await profileCredentials(ctx, request('tool'), { services: late });
  expect(late.processes).toEqual(['my-tool']);
});

test('a credential_process running vault for another profile that fails names `vault unlock`: it is not given the passphrase variable', async () => {
  await writeFile(ctx.configPath, '[profile viavault]\ncredential_process = vault export --format json base\n');
  const failing = { ...services(), runCredentialProcess: async () => Promise.reject(new CredentialProcessError(undefined, 'it exited with status 1')) };
  await expect(profileCredentials(ctx, request('viavault'), { services: failing })).rejects.toThrow(
    'credential_process of profile viavault failed: it exited with status 1; a vault started so is not given AWS_VAULT_FILE_PASSPHRASE: if it could not open the vault, run `vault unlock` first',
  );
});

test('runs started together that each need an MFA session open it once: the others wait and take it', async () => {
  const MFA = 'arn:aws:iam::123456789012:mfa/alice';
  await writeFile(ctx.configPath, `[profile base]\nmfa_serial = ${MFA}\n\n[profile admin]\nrole_arn = ${ROLE}\nsource_profile = base\nmfa_serial = ${MFA}\n`);
  await storeKeys();
  // One STS for all, as AWS is one: each run makes its calls there.
  const sts = fakeSts(() => now);
  const runs = await Promise.all(
    [1, 2, 3].map(() => profileCredentials(ctx, request('base', { mfaToken: '123456' }), { services: { ...services(sts), sts: sts.factory } })),
  );
  expect(sts.calls.map((c) => c.op)).toEqual(['GetSessionToken']);
  expect(new Set(runs.map((r) => r.credentials.accessKeyId)).size).toBe(1);
});

test('secrets given or issued are redacted from --debug output', async () => {
  await storeKeys();
  await profileCredentials(ctx, request('admin'), { services: services() });
  ctx.debug(`leak? ${KEYS.secretAccessKey} issued-secret-1 issued-token-1`);
  expect(stderr).not.toContain(KEYS.secretAccessKey);
  expect(stderr).not.toContain('issued-secret-1');
  expect(stderr).not.toContain('issued-token-1');
});

test('an STS failure comes back as the error, and nothing is cached', async () => {
  await storeKeys();
  const failing = services(fakeSts(() => now, { fail: (c) => (c.op === 'AssumeRole' ? new Error('denied') : undefined) }));
  await expect(profileCredentials(ctx, request('admin'), { services: failing })).rejects.toThrow('denied');
  const data = await new VaultFile(ctx.vaultPath).read(await new VaultFile(ctx.vaultPath).unlock('correct horse'));
  expect(Object.keys(data.sessions ?? {})).toEqual([]);
});

test('a session obtained before a later call fails is kept: its MFA code cannot be used again', async () => {
  const MFA = 'arn:aws:iam::123456789012:mfa/alice';
  await writeFile(ctx.configPath, `[profile base]\nmfa_serial = ${MFA}\n\n[profile admin]\nrole_arn = ${ROLE}\nsource_profile = base\nmfa_serial = ${MFA}\n`);
  await storeKeys();
  const failing = services(fakeSts(() => now, { fail: (c) => (c.op === 'AssumeRole' ? new Error('denied') : undefined) }));
  await expect(profileCredentials(ctx, request('admin', { mfaToken: '123456' }), { services: failing })).rejects.toThrow('denied');
  const data = await new VaultFile(ctx.vaultPath).read(await new VaultFile(ctx.vaultPath).unlock('correct horse'));
  expect(Object.keys(data.sessions ?? {})).toEqual([`gst|base|${MFA}|28800`]);
  // The next run starts from it, without a code.
  const again = services();
  await profileCredentials(ctx, request('admin'), { services: again });
  expect(again.calls.map((c) => c.op)).toEqual(['AssumeRole']);
});

test('a bad --region is a usage error before anything is read', async () => {
  await expect(profileCredentials(ctx, request('admin', { region: 'not a region' }), { services: services() })).rejects.toMatchObject({ code: 'USAGE' });
});

test("through the agent, a run is sent the stored keys of its chain's profiles only, and uses them", async () => {
  await storeKeys();
  const file = new VaultFile(ctx.vaultPath);
  const key = await file.unlock('correct horse');
  await file.update(key, (d) => putCredentials(d, 'unrelated', { accessKeyId: 'AKIAUNRELATED0000001', secretAccessKey: 'unrelated-secret', addedAt: 'now' }));
  const agent = await startAgentServer({ file, key, location: agentLocation(ctx.env, ctx.vaultPath), ttlMs: 60_000 });
  const reads = jest.spyOn(AgentClient.prototype, 'read');
  try {
    const fake = services();
    expect((await profileCredentials(ctx, request('admin'), { services: fake })).credentials.accessKeyId).toBe('ASIAISSUED1');
    expect(fake.calls.map((c) => [c.op, c.with])[0]).toEqual(['AssumeRole', KEYS.secretAccessKey]);
    expect(stderr).toContain('vault opened by the agent');
    expect(reads.mock.calls).toEqual([[['base', 'admin']]]);
    const sent = await reads.mock.results[0]!.value;
    expect(Object.keys(sent!.data.credentials)).toEqual(['base']);
  } finally {
    reads.mockRestore();
    await agent.close();
  }
});

describe('keys replaced while a run waits on STS (vault add --force, vault rotate)', () => {
  const NEW_KEYS = { accessKeyId: 'AKIANEWKEY0000000002', secretAccessKey: 'new-secret-0123456789abcdefghijklmnop' };

  /** STS whose AssumeRole, before answering, has the keys of `base` replaced as `vault add --force` would. */
  function replacingServices(file: VaultFile, key: Parameters<VaultFile['update']>[0]) {
    const fake = services();
    return {
      ...fake,
      sts: (creds: Parameters<typeof fake.sts>[0], region: string | undefined) => {
        const api = fake.sts(creds, region);
        return {
          ...api,
          async assumeRole(p: Parameters<typeof api.assumeRole>[0]) {
            await file.update(key, (d) => putCredentials(d, 'base', { ...NEW_KEYS, addedAt: new Date(T0 + 1000).toISOString() }));
            return api.assumeRole(p);
          },
        };
      },
    };
  }

  async function sessionsLeft(): Promise<string[]> {
    const data = await new VaultFile(ctx.vaultPath).read(await new VaultFile(ctx.vaultPath).unlock('correct horse'));
    return Object.keys(data.sessions ?? {});
  }

  test('the run gets its credentials, but writes no session made with the old keys', async () => {
    await storeKeys();
    const file = new VaultFile(ctx.vaultPath);
    const got = await profileCredentials(ctx, request('admin'), { services: replacingServices(file, await file.unlock('correct horse')) });
    expect(got.credentials.accessKeyId).toBe('ASIAISSUED1');
    expect(await sessionsLeft()).toEqual([]);
  });

  test('the same through the agent', async () => {
    await storeKeys();
    const file = new VaultFile(ctx.vaultPath);
    const key = await file.unlock('correct horse');
    const agent = await startAgentServer({ file, key, location: agentLocation(ctx.env, ctx.vaultPath), ttlMs: 60_000 });
    try {
      await profileCredentials(ctx, request('admin'), { services: replacingServices(file, key) });
      expect(stderr).toContain('vault opened by the agent');
    } finally {
      await agent.close();
    }
    expect(await sessionsLeft()).toEqual([]);
  });

  test('also when the run starts from a cached session of the old keys', async () => {
    const MFA = 'arn:aws:iam::123456789012:mfa/alice';
    // One device on the keys and the role: the role is renewed from the cached 8 h base session.
    await writeFile(ctx.configPath, `[profile base]\nmfa_serial = ${MFA}\n\n[profile admin]\nrole_arn = ${ROLE}\nsource_profile = base\nmfa_serial = ${MFA}\n`);
    await storeKeys();
    await profileCredentials(ctx, request('admin', { mfaToken: '123456' }), { services: services() });
    const roleSession = async () => {
      const data = await new VaultFile(ctx.vaultPath).read(await new VaultFile(ctx.vaultPath).unlock('correct horse'));
      return Object.values(data.sessions).find((x) => x.profile === 'admin')?.expiration;
    };
    const before = await roleSession();
    now = T0 + 58 * 60_000;
    const file = new VaultFile(ctx.vaultPath);
    const fake = replacingServices(file, await file.unlock('correct horse'));
    await profileCredentials(ctx, request('admin'), { services: fake });
    expect(fake.calls.map((c) => c.op)).toEqual(['AssumeRole']);
    expect(await roleSession()).toBe(before);
  });

  test('keys left as they were: the session is written', async () => {
    await storeKeys();
    await profileCredentials(ctx, request('admin'), { services: services() });
    expect(await sessionsLeft()).toHaveLength(1);
  });
});

test('a session that cannot be cached (a full disk) still gives the credentials, saying why the next run asks STS again', async () => {
  await storeKeys();
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const update = jest.spyOn(VaultFile.prototype, 'update').mockRejectedValueOnce(full);
  try {
    const fake = services();
    const result = await profileCredentials(ctx, request('admin'), { services: fake });
    expect(result.credentials.accessKeyId).toBe('ASIAISSUED1');
    expect(stderr).toContain('The new session could not be cached in the vault (ENOSPC: no space left on device, write); the next command asks STS again.');
    // Any other failure of the write is still an error.
    update.mockRejectedValueOnce(new Error('something else'));
    await expect(profileCredentials(ctx, request('admin', { durationSeconds: 1800 }), { services: services() })).rejects.toThrow('something else');
  } finally {
    update.mockRestore();
  }
});
