// vault login in-process with its outside world injected: a real config file and vault, a fake STS and a fake
// federation endpoint, so what reaches them can be checked without AWS.
import { putCredentials, VaultFile } from '@vault/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeSts } from '../credentials/fake-sts.fixture.js';
import { createContext, type Context } from '../io/context.js';
import { login, type LoginDeps } from './login.js';

const KEYS = { accessKeyId: 'AKIALOGINKEY00000001', secretAccessKey: 'login-secret-0123456789abcdefghijklmnop' };
const FAST_KDF = { alg: 'argon2id13' as const, opslimit: 1, memlimit: 8 * 1024 * 1024 };

let dir: string;
let ctx: Context;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-login-'));
  const env = { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_VAULT_FILE_DIR: join(dir, 'vault'), XDG_RUNTIME_DIR: dir, AWS_VAULT_FILE_PASSPHRASE: 'pw' };
  ctx = createContext({ debug: false, io: { env, stdout: () => {}, stderr: () => {} } });
  const file = new VaultFile(ctx.vaultPath);
  const key = await file.create('pw', FAST_KDF);
  await file.update(key, (d) => putCredentials(d, 'keys', { ...KEYS, addedAt: new Date().toISOString() }));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test("GetFederationToken goes where the profile's other STS calls go: its FIPS and dual-stack settings kept", async () => {
  await writeFile(
    join(dir, 'config'),
    '[profile keys]\nregion = us-east-2\n\n[profile fips]\nsource_profile = keys\nregion = us-east-2\nuse_fips_endpoint = true\n\n' +
      '[profile dual]\nsource_profile = keys\nregion = eu-west-1\nuse_dualstack_endpoint = true\n',
  );
  for (const [profile, expected] of [
    ['fips', { region: 'us-east-2', endpoint: 'https://sts-fips.us-east-2.amazonaws.com' }],
    ['dual', { region: 'eu-west-1', endpoint: 'https://sts.eu-west-1.api.aws' }],
  ] as const) {
    const sts = fakeSts(() => Date.now());
    const asked: Array<{ region: string | undefined; endpoint: string | undefined }> = [];
    const deps: LoginDeps = {
      sts: (creds, region, endpoint) => (asked.push({ region, endpoint }), sts.factory(creds, region)),
      fetch: async () => ({ ok: true, status: 200, text: async () => JSON.stringify({ SigninToken: 'token' }) }) as Awaited<ReturnType<LoginDeps['fetch']>>,
      openBrowser: async () => true,
    };
    await login(ctx, { profile, stdout: true, autoLogout: false, noSession: false }, deps);
    expect({ profile, asked }).toEqual({ profile, asked: [expected] });
    expect(sts.calls.map((c) => [c.op, c.with])).toEqual([
      ['GetCallerIdentity', KEYS.secretAccessKey],
      ['GetFederationToken', KEYS.secretAccessKey],
    ]);
  }
});

test('session credentials sign in as they are when they are a role\'s, and are refused in one line when they are a GetSessionToken session', async () => {
  const fetch = async () => ({ ok: true, status: 200, text: async () => JSON.stringify({ SigninToken: 'token' }) }) as Awaited<ReturnType<LoginDeps['fetch']>>;
  const inShell = { ...ctx, env: { ...ctx.env, AWS_ACCESS_KEY_ID: 'ASIASESSIONSESSION01', AWS_SECRET_ACCESS_KEY: 'session-secret', AWS_SESSION_TOKEN: 'session-token' } };
  const asWho = async (identityArn: string) => {
    const sts = fakeSts(() => Date.now(), { identityArn });
    await login(inShell, { stdout: true, autoLogout: false, noSession: false }, { sts: (creds, region) => sts.factory(creds, region), fetch, openBrowser: async () => true });
    return sts.calls.map((c) => c.op);
  };
  expect(await asWho('arn:aws:sts::123456789012:assumed-role/admin/1700000000000000000')).toEqual(['GetCallerIdentity']);
  await expect(asWho('arn:aws:iam::123456789012:user/alice')).rejects.toMatchObject({
    code: 'CONSOLE_REFUSES_SESSION',
    message: "the keys in AWS_ACCESS_KEY_ID are a session of arn:aws:iam::123456789012:user/alice, not a role's session or a federation token, which the AWS console does not accept",
  });
});
