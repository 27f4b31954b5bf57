import { jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { awsSetup, MOTO_ACCOUNT, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { freePort, sharedMoto, type SharedMoto } from './support/moto.js';
import { runInProcess } from './support/in-process.js';
import { parseEnv, parseExported, printEnv } from './support/print-env.js';
import { waitForOutput, type Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { stsRelay } from './support/sts-relay.js';
import { describeRun, runVault, startVault } from './support/vault.js';

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'exec e2e passphrase';
const OTHER_ACCOUNT = '987654321098';
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The seeds' layout: keys for read-only, admin assumed from it, backup in another account assumed from admin. */
function seedConfig(adminRole: string, backupRole: string): string {
  return `[profile read-only]

[profile admin]
source_profile = read-only
role_arn = ${adminRole}

[profile backup]
source_profile = admin
role_arn = ${backupRole}
role_session_name = nightly

[profile regional]
source_profile = read-only
role_arn = ${adminRole}
region = eu-west-2

[profile loop-a]
source_profile = loop-b
role_arn = ${adminRole}

[profile loop-b]
source_profile = loop-a
role_arn = ${adminRole}
`;
}

/** A sandbox whose vault holds `keys` as read-only (stored through @vault/core: exec is tested here, not add), with the seed config. */
async function seededSandbox(keys: Keys, adminRole: string, backupRole: string): Promise<Sandbox> {
  const box = await sandbox({ passphrase: PASSPHRASE, stored: { 'read-only': keys } });
  await box.writeConfig(seedConfig(adminRole, backupRole));
  return box;
}

/** Creates the IAM user, its key and both roles of the seed scenario in `moto`. */
async function seedMoto(moto: SharedMoto) {
  const setup = awsSetup(moto);
  const user = await setup.createUser('reader');
  const [keys, adminRole, backupRole] = await Promise.all([
    setup.createAccessKey('reader'),
    setup.createRole('iam_role'),
    setup.createRole('backup-role', { account: OTHER_ACCOUNT }),
  ]);
  return { user, keys, adminRole, backupRole };
}

let moto: SharedMoto;
let box: Sandbox;
let userArn: string;
let seeded: Awaited<ReturnType<typeof seedMoto>>;

beforeAll(async () => {
  moto = await sharedMoto();
  seeded = await seedMoto(moto);
  userArn = seeded.user.arn;
  box = await seededSandbox(seeded.keys, seeded.adminRole, seeded.backupRole);
});
afterAll(async () => {
  await box?.remove();
});

/** The parent environment of `vault exec`: sandbox, passphrase, moto as STS. */
function env(extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

async function callerArn(profile: string, flags: string[] = []): Promise<string> {
  const result = await runVault(['exec', profile, ...flags, '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], {
    env: env({ AWS_DEFAULT_REGION: 'us-east-1' }),
  });
  expectSuccess(result);
  return (JSON.parse(result.stdout) as { Arn: string }).Arn;
}

describe('vault exec: whose credentials the command gets', () => {
  it('runs with the stored keys themselves under --no-session', async () => {
    expect(await callerArn('read-only', ['--no-session'])).toBe(userArn);
  });

  it('assumes the profile role from its source profile', async () => {
    expect(await callerArn('admin')).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/iam_role/`));
  });

  it('walks a two-hop chain into another account with the configured session name', async () => {
    expect(await callerArn('backup')).toBe(`arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/backup-role/nightly`);
  });

  it('gives a session token for a key-only profile by default', async () => {
    const result = await runVault(['exec', 'read-only', '--', ...printEnv], { env: env() });
    expectSuccess(result);
    const child = parseEnv(result.stdout);
    expect(child.AWS_SESSION_TOKEN).toBeTruthy();
    expect(child.AWS_CREDENTIAL_EXPIRATION).toMatch(ISO_8601);
    expect(child.AWS_ACCESS_KEY_ID).not.toBe(seeded.keys.accessKeyId);
  });
});

describe('vault exec: the child environment', () => {
  const parentOnly = {
    AWS_PROFILE: 'read-only',
    AWS_DEFAULT_PROFILE: 'read-only',
    AWS_ACCESS_KEY_ID: 'AKIAPARENTPARENTPARE',
    AWS_SECRET_ACCESS_KEY: 'parent-secret',
    AWS_SESSION_TOKEN: 'parent-token',
    AWS_SECURITY_TOKEN: 'parent-security-token',
    E2E_UNRELATED: 'kept',
  };

  it('injects temporary credentials, expiry and the profile region, and drops the parent selectors and secrets', async () => {
    const result = await runVault(['exec', 'regional', '--', ...printEnv], { env: env(parentOnly) });
    expectSuccess(result);
    const child = parseEnv(result.stdout);

    expect(child.AWS_VAULT).toBe('regional');
    expect(child.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(child.AWS_SECRET_ACCESS_KEY).toBeTruthy();
    expect(child.AWS_SECRET_ACCESS_KEY).not.toBe(parentOnly.AWS_SECRET_ACCESS_KEY);
    expect(child.AWS_SESSION_TOKEN).toBeTruthy();
    expect(child.AWS_SESSION_TOKEN).not.toBe(parentOnly.AWS_SESSION_TOKEN);
    expect(child.AWS_CREDENTIAL_EXPIRATION).toMatch(ISO_8601);
    expect(Date.parse(child.AWS_CREDENTIAL_EXPIRATION!)).toBeGreaterThan(Date.now());
    expect(child.AWS_REGION).toBe('eu-west-2');
    expect(child.AWS_DEFAULT_REGION).toBe('eu-west-2');

    expect(child.AWS_PROFILE).toBeUndefined();
    expect(child.AWS_DEFAULT_PROFILE).toBeUndefined();
    expect(child.AWS_VAULT_FILE_PASSPHRASE).toBeUndefined();
    expect(child.AWS_SECURITY_TOKEN).toBeUndefined();
    expect(result.stdout).not.toContain(PASSPHRASE);
    expect(child.E2E_UNRELATED).toBe('kept');
  });

  it('sets no region when none is known, and the --region one when given', async () => {
    const none = await runVault(['exec', 'admin', '--', ...printEnv], { env: env() });
    expectSuccess(none);
    expect(parseEnv(none.stdout).AWS_REGION).toBeUndefined();
    expect(parseEnv(none.stdout).AWS_DEFAULT_REGION).toBeUndefined();

    const given = await runVault(['exec', 'admin', '--region', 'ap-south-1', '--', ...printEnv], { env: env() });
    expectSuccess(given);
    expect(parseEnv(given.stdout).AWS_REGION).toBe('ap-south-1');
    expect(parseEnv(given.stdout).AWS_DEFAULT_REGION).toBe('ap-south-1');
  });
});

describe('vault exec: process behaviour', () => {
  it("exits with the child's status", async () => {
    const result = await runVault(['exec', 'read-only', '--no-session', '--', 'sh', '-c', 'exit 42'], { env: env() });
    expect({ code: result.code, run: describeRun(result) }).toEqual({ code: 42, run: describeRun(result) });
  });

  it('exits 128+15 when the child is killed by SIGTERM', async () => {
    const result = await runVault(['exec', 'read-only', '--no-session', '--', 'sh', '-c', 'kill -TERM $$'], { env: env() });
    expect({ code: result.code, run: describeRun(result) }).toEqual({ code: 143, run: describeRun(result) });
  });

  it('forwards SIGTERM to the child and waits for it', async () => {
    const marker = join(box.home, 'got-term');
    const script = `trap 'echo handled > "${marker}"; exit 7' TERM; echo ready; while :; do sleep 0.1; done`;
    const started = startVault(['exec', 'read-only', '--no-session', '--', 'sh', '-c', script], { env: env(), timeoutMs: 15_000 });
    await waitForOutput(started, 'ready');
    // Only vault's own pid: the child (same process group) must get the signal from vault, not from us.
    process.kill(started.child.pid!, 'SIGTERM');
    const done = await started.result;
    expect({ code: done.code, run: describeRun(done) }).toEqual({ code: 7, run: describeRun(done) });
    expect((await readFile(marker, 'utf8')).trim()).toBe('handled');
  });

  it('streams stdin through to the child', async () => {
    const result = await runVault(['exec', 'read-only', '--no-session', '--', 'cat'], { env: env(), input: 'line one\nline two\n' });
    expectSuccess(result);
    expect(result.stdout).toBe('line one\nline two\n');
  });

  it('refuses to run inside another vault exec, naming the outer profile', async () => {
    // In-process: a check of the environment given; had vault gone on, it would have run `true`.
    const result = await runInProcess(['exec', 'admin', '--', 'true'], { env: env({ AWS_VAULT: 'outer-profile' }) });
    expectOneLineError(result, /outer-profile/);
  });

  it("refuses `export` inside a vault exec shell, whose region is the outer profile's; its json format is let through", async () => {
    const inside = env({ AWS_VAULT: 'outer-profile', AWS_REGION: 'ap-south-1' });
    for (const format of ['env', 'export-env', 'ini']) {
      expectOneLineError(await runInProcess(['export', '--format', format, 'read-only'], { env: inside }), /outer-profile.*region/);
    }
    const json = await runInProcess(['export', '--format', 'json', 'read-only', '--no-session'], { env: inside });
    expectSuccess(json);
    expect(JSON.parse(json.stdout)).toMatchObject({ Version: 1 });
  });
});

// What exec answers for a config and an STS that is gone: in-process, as the hostile config corpus runs (whose
// cases on the binary keep the one-line error contract of the process tested).
describe('vault exec: errors', () => {
  it('names an unknown profile', async () => {
    expectOneLineError(await runInProcess(['exec', 'no-such-profile', '--', 'true'], { env: env() }), /no-such-profile/);
  });

  it('says where it looked for the vault when a profile has no keys and there is no vault file there', async () => {
    const elsewhere = join(box.home, 'no-vault-here');
    const result = await runInProcess(['exec', 'read-only', '--', 'true'], { env: env({ AWS_VAULT_FILE_DIR: elsewhere }) });
    expectOneLineError(result, new RegExp(`no credentials for profile read-only: .*; there is no vault file at ${join(elsewhere, 'vault')} \\(the directory AWS_VAULT_FILE_DIR names\\)`));
    const list = await runInProcess(['list'], { env: env({ AWS_VAULT_FILE_DIR: elsewhere }) });
    expectSuccess(list);
    expect(list.stderr).toBe(`There is no vault file at ${join(elsewhere, 'vault')} yet (the directory AWS_VAULT_FILE_DIR names): \`vault add PROFILE\` creates it.\n`);
  });

  it('reports a source_profile cycle with the chain', async () => {
    const line = expectOneLineError(await runInProcess(['exec', 'loop-a', '--', 'true'], { env: env() }));
    expect(line).toMatch(/loop-a/);
    expect(line).toMatch(/loop-b/);
  });

  it('fails in one line when STS cannot be reached and nothing is cached', async () => {
    const fresh = await seededSandbox(seeded.keys, seeded.adminRole, seeded.backupRole);
    try {
      const deadEndpoint = `http://127.0.0.1:${await freePort()}`;
      const result = await runInProcess(['exec', 'admin', '--', 'true'], {
        env: { ...fresh.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: deadEndpoint },
      });
      expectOneLineError(result);
      expect(result.stderr).not.toContain(seeded.keys.secretAccessKey);
    } finally {
      await fresh.remove();
    }
  });
});

describe('vault exec: session cache', () => {
  it('reuses the cached session, so a second exec works with STS gone and gets the same token', async () => {
    // A vault of its own, so the session is this test's; STS is gone for the second run: the relay to moto is closed.
    const fresh = await seededSandbox(seeded.keys, seeded.adminRole, seeded.backupRole);
    const relay = await stsRelay(moto.url);
    try {
      const runEnv = { ...fresh.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: relay.url };

      const first = await runVault(['exec', 'admin', '--', ...printEnv], { env: runEnv });
      expectSuccess(first);
      await relay.close();
      // The second resolution in-process (export prints what exec gives its command): which session is used is logic.
      const second = await runInProcess(['export', 'admin', '--format', 'env'], { env: runEnv });
      expectSuccess(second);

      const token = parseEnv(first.stdout).AWS_SESSION_TOKEN;
      expect(token).toBeTruthy();
      expect(parseExported(second.stdout).AWS_SESSION_TOKEN).toBe(token);
    } finally {
      await relay.close();
      await fresh.remove();
    }
  });
});
