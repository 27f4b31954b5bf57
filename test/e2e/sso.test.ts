import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { awsSetup, MOTO_ACCOUNT } from './support/aws-setup.js';
import { expectSuccess } from './support/expect-error.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { parseEnv, parseExported, printEnv } from './support/print-env.js';
import { run, type Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { startSsoServer, type SsoServer } from './support/sso-server.mjs';
import { runInProcess } from './support/in-process.js';
import { runVault } from './support/vault.js';

// IAM Identity Center profiles against a local SSO OIDC + portal server (support/sso-server.mjs) whose
// GetRoleCredentials hands out real moto credentials, so the child's calls reach moto as that role. On the binary:
// the first sign-in (the whole device flow, the code on a real stderr, the child's environment), and the children
// that are the aws CLI (a role chain, --server, --ec2-server). Which token vault uses, when it signs in again and
// the browser program it starts are logic, run in-process (vault starts the opener with the run's environment):
// `export --format env` prints the variables exec gives its command, which in-process is not captured.
jest.setTimeout(120_000);

const PASSPHRASE = 'sso e2e passphrase';
const START_URL = 'https://corp.awsapps.com/start';
const LEGACY_URL = 'https://legacy.awsapps.com/start';

let moto: SharedMoto;
let sso: SsoServer;
let box: Sandbox;
let roleKeys: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
let adminRole: string;

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('sso-user');
  const [keys, devRole, admin] = await Promise.all([setup.createAccessKey('sso-user'), setup.createRole('Dev'), setup.createRole('sso-admin')]);
  adminRole = admin;
  const assumed = await setup.aws(['sts', 'assume-role', '--role-arn', devRole, '--role-session-name', 'alice'], keys);
  roleKeys = { accessKeyId: assumed.Credentials.AccessKeyId, secretAccessKey: assumed.Credentials.SecretAccessKey, sessionToken: assumed.Credentials.SessionToken };
  // The device is confirmed on the first poll, so a sign-in waits no polling interval (a second each); the first
  // test, about the pending -> token sequence, asks for one authorization_pending answer.
  sso = await startSsoServer({ pendingPolls: 0 });
  sso.setRole(MOTO_ACCOUNT, 'Dev', roleKeys);
  box = await sandbox({ passphrase: PASSPHRASE });
  await box.writeConfig(
    [
      '[sso-session corp]',
      `sso_start_url = ${START_URL}`,
      'sso_region = eu-west-1',
      'sso_registration_scopes = sso:account:access',
      '[profile dev]',
      'sso_session = corp',
      `sso_account_id = ${MOTO_ACCOUNT}`,
      'sso_role_name = Dev',
      '[profile legacy]',
      `sso_start_url = ${LEGACY_URL}`,
      'sso_region = us-east-1',
      `sso_account_id = ${MOTO_ACCOUNT}`,
      'sso_role_name = Dev',
      '[profile admin]',
      'source_profile = dev',
      `role_arn = ${adminRole}`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await sso?.close();
  await box?.remove();
});

function env(extra: Env = {}): Env {
  return {
    ...box.env,
    AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_ENDPOINT_URL_SSO_OIDC: sso.url,
    AWS_ENDPOINT_URL_SSO: sso.url,
    // No desktop: the opener is missing, so vault prints the URL, as on a server.
    PATH: '/usr/bin:/bin',
    ...extra,
  };
}

/** `vault export --format env` in-process: the variables exec would give its command, and vault's stderr. */
async function exported(profile: string, environment: Env = env()): Promise<{ vars: Record<string, string>; stderr: string }> {
  const result = await runInProcess(['export', profile, '--format', 'env'], { env: environment });
  expectSuccess(result);
  return { vars: parseExported(result.stdout), stderr: result.stderr };
}

/** An AWS CLI v2 token cache entry, as `aws sso login` writes it. */
async function writeCliCache(key: string, entry: object): Promise<string> {
  const dir = join(box.home, '.aws', 'sso', 'cache');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${createHash('sha1').update(key).digest('hex')}.json`);
  await writeFile(file, JSON.stringify(entry));
  return file;
}

/** botocore's own SSO credential provider, on the same config, cache and server, gets the credentials vault gave. */
async function expectBotocoreGets(profile: string, fromVault: Record<string, string | undefined>): Promise<void> {
  const script =
    'import botocore.session, json, sys\n' +
    'c = botocore.session.Session(profile=sys.argv[1]).get_credentials().get_frozen_credentials()\n' +
    'print(json.dumps([c.access_key, c.secret_key, c.token]))\n';
  const botocore = await run('python3', ['-c', script, profile], { env: env({ PATH: box.env.PATH as string }) });
  expect(botocore.stderr).toBe('');
  expect(JSON.parse(botocore.stdout)).toEqual([fromVault.AWS_ACCESS_KEY_ID, fromVault.AWS_SECRET_ACCESS_KEY, fromVault.AWS_SESSION_TOKEN]);
}

describe('IAM Identity Center profiles', () => {
  it('signs in with the device flow once (code on stderr, URL printed without a browser), seals the token in the vault, and hands the role credentials to the child', async () => {
    sso.setPendingPolls(1);
    const first = await runVault(['exec', 'dev', '--', ...printEnv], { env: env() }).finally(() => sso.setPendingPolls(0));
    expectSuccess(first);
    const child = parseEnv(first.stdout);
    expect(child).toMatchObject({ AWS_ACCESS_KEY_ID: roleKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: roleKeys.secretAccessKey, AWS_SESSION_TOKEN: roleKeys.sessionToken });
    // As aws-vault: the profile's sso_account_id, for scripts that need the account without asking STS.
    expect(child.AWS_ACCOUNT_ID).toBe(MOTO_ACCOUNT);
    expect(first.stderr).toMatch(/confirm the code [0-9A-F]{4}-[0-9A-F]{4} in the browser/);
    expect(first.stderr).toContain(`open this URL to sign in: ${sso.url}/start/#/device?user_code=`);
    expect(sso.count('POST /device_authorization')).toBe(1);
    expect(sso.count('POST /token')).toBe(2); // one authorization_pending, then the token
    // Nothing in plaintext where the AWS CLI keeps its cache.
    await expect(readdir(join(box.home, '.aws', 'sso'))).rejects.toMatchObject({ code: 'ENOENT' });

    // The role credentials are a cached session now: no sign-in and no IAM Identity Center call at all.
    const second = await exported('dev');
    expect(second.vars.AWS_ACCESS_KEY_ID).toBe(roleKeys.accessKeyId);
    expect(second.stderr).not.toContain('confirm the code');
    expect(sso.count('POST /device_authorization')).toBe(1);
    expect(sso.count('GET /federation/credentials')).toBe(1);
    const table = await runInProcess(['list'], { env: env() });
    expect(table.stdout).toMatch(/\nIAM Identity Center sign-ins:\n {2}corp \(https:\/\/corp\.awsapps\.com\/start\): \d+h\d*m? left\n$/);
    const listed = await runInProcess(['list', '--json'], { env: env() });
    expectSuccess(listed);
    expect(JSON.parse(listed.stdout)).toContainEqual(
      expect.objectContaining({ profile: 'dev', credentials: false, sessions: [expect.objectContaining({ chain: 'dev (IAM Identity Center Dev)' })] }),
    );

    // Without the cached session (`remove --sessions-only` keeps the sign-in, as aws-vault's does) the sealed
    // sign-in is used: GetRoleCredentials again, still no new sign-in.
    expectSuccess(await runInProcess(['remove', 'dev', '--sessions-only'], { env: env() }));
    const third = await runInProcess(['export', 'dev', '--format', 'env'], { env: env() });
    expectSuccess(third);
    expect(third.stdout).toContain(`AWS_ACCESS_KEY_ID=${roleKeys.accessKeyId}`);
    expect(third.stdout).toContain(`AWS_ACCOUNT_ID=${MOTO_ACCOUNT}\n`);
    expect(sso.count('POST /device_authorization')).toBe(1);
    expect(sso.count('GET /federation/credentials')).toBe(2);

    // `clear dev` drops the sign-in too, as aws-vault's clear does: the next command signs in afresh.
    expectSuccess(await runInProcess(['clear', 'dev'], { env: env() }));
    const fourth = await exported('dev');
    expect(fourth.stderr).toMatch(/confirm the code [0-9A-F]{4}-[0-9A-F]{4} in the browser/);
    expect(sso.count('POST /device_authorization')).toBe(2);
  });

  it('is the base of a role chain: the child calls moto as the role assumed with the SSO credentials', async () => {
    const result = await runVault(['exec', 'admin', '--', 'aws', '--endpoint-url', moto.url, 'sts', 'get-caller-identity', '--output', 'json'], {
      env: env({ PATH: box.env.PATH as string, AWS_REGION: 'us-east-1' }),
    });
    expectSuccess(result);
    expect(JSON.parse(result.stdout).Arn).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/sso-admin/\\d{19}$`));
  });

  it('serves the SSO-based role through --server and --ec2-server to the aws CLI, and builds a console login URL from it', async () => {
    for (const flag of ['--server', '--ec2-server']) {
      const served = await runVault(['exec', flag, 'admin', '--', 'aws', '--endpoint-url', moto.url, 'sts', 'get-caller-identity', '--output', 'json'], {
        env: env({ PATH: box.env.PATH as string, AWS_REGION: 'us-east-1' }),
      });
      expectSuccess(served);
      expect({ flag, arn: JSON.parse(served.stdout).Arn }).toEqual({ flag, arn: expect.stringMatching(/assumed-role\/sso-admin\/\d{19}$/) });
    }

    const federation = createServer((_req, res) => res.end(JSON.stringify({ SigninToken: 'fake-signin-token' })));
    await new Promise<void>((resolve) => federation.listen(0, '127.0.0.1', resolve));
    try {
      const fedUrl = `http://127.0.0.1:${(federation.address() as AddressInfo).port}/federation`;
      const login = await runInProcess(['login', 'dev', '--stdout'], { env: env({ AWS_VAULT_FEDERATION_ENDPOINT: fedUrl }) });
      expectSuccess(login);
      expect(login.stdout).toContain('SigninToken=fake-signin-token');
    } finally {
      await new Promise((resolve) => federation.close(resolve));
    }
  });

  it("aws-vault's sign-in options: --browser opens the page with that program, --stdout only prints the link, --device-code is taken", async () => {
    const opened = join(box.home, 'opened.txt');
    const opener = join(box.home, 'my-browser');
    await writeFile(opener, `#!/bin/sh\necho "$@" >> '${opened}'\n`, { mode: 0o755 });
    const signInAgain = async (args: string[]) => {
      sso.revokeAll();
      expectSuccess(await runInProcess(['clear', 'dev'], { env: env() }));
      const result = await runInProcess(['exec', ...args, 'dev', '--', 'true'], { env: env() });
      expectSuccess(result);
      expect(result.stderr).toMatch(/confirm the code [0-9A-F]{4}-[0-9A-F]{4}/);
      return result;
    };

    await signInAgain(['--browser', opener, '--device-code']);
    // The program got the private page that forwards to the verification URL, not the URL itself.
    expect((await readFile(opened, 'utf8')).trim()).toMatch(/\/vault-login-[^/]+\/signin\.html$/);

    const printed = await signInAgain(['--stdout', '--browser', opener]);
    // Asked for, the link is not announced as a failure to open a browser.
    expect(printed.stderr).toContain(`\nOpen this URL to sign in: ${sso.url}/start/#/device?user_code=`);
    expect(printed.stderr).not.toContain('No browser could be opened');
    expect((await readFile(opened, 'utf8')).trim().split('\n')).toHaveLength(1);

    // `login --stdout` opens no browser either: the sign-in's link is printed, and the console URL.
    const federation = createServer((_req, res) => res.end(JSON.stringify({ SigninToken: 'fake-signin-token' })));
    await new Promise<void>((resolve) => federation.listen(0, '127.0.0.1', resolve));
    try {
      sso.revokeAll();
      expectSuccess(await runInProcess(['clear', 'dev'], { env: env() }));
      const fedUrl = `http://127.0.0.1:${(federation.address() as AddressInfo).port}/federation`;
      const login = await runInProcess(['login', 'dev', '--stdout', '--browser', opener], { env: env({ AWS_VAULT_FEDERATION_ENDPOINT: fedUrl }) });
      expectSuccess(login);
      expect(login.stderr).toContain(`\nOpen this URL to sign in: ${sso.url}/start/#/device?user_code=`);
      expect(login.stdout).toContain('SigninToken=fake-signin-token');
      expect((await readFile(opened, 'utf8')).trim().split('\n')).toHaveLength(1);
    } finally {
      await new Promise((resolve) => federation.close(resolve));
    }
  });

  it('after the sessions are revoked (401), signs in again with a clear message and no stack trace', async () => {
    sso.revokeAll();
    expectSuccess(await runInProcess(['remove', 'dev', '--sessions-only'], { env: env() }));
    const result = await exported('dev');
    expect(result.stderr).toContain('is no longer valid; signing in again');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.vars.AWS_ACCESS_KEY_ID).toBe(roleKeys.accessKeyId);
  });

  it('commands started together sign in once: the others wait on the sign-in lock and take its token', async () => {
    expectSuccess(await runInProcess(['clear'], { env: env() }));
    // A sign-in that takes a person some seconds to confirm (5 polls, a second apart): the others start meanwhile.
    sso.setPendingPolls(5);
    const before = sso.count('POST /device_authorization');
    try {
      const runs = await Promise.all([1, 2, 3].map(() => runVault(['export', 'dev', '--format', 'env'], { env: env() })));
      for (const r of runs) expectSuccess(r);
      expect(sso.count('POST /device_authorization') - before).toBe(1);
      expect(runs.filter((r) => r.stderr.includes('confirm the code'))).toHaveLength(1);
    } finally {
      sso.setPendingPolls(0);
    }
  });

  it("uses a valid token from the AWS CLI v2's cache without a sign-in, and botocore's SSO provider gets the same role credentials from the same server and cache", async () => {
    const token = sso.issueToken(LEGACY_URL);
    await writeCliCache(LEGACY_URL, { startUrl: LEGACY_URL, region: 'us-east-1', ...token });
    const before = sso.count('POST /device_authorization');
    const result = await exported('legacy');
    expect(sso.count('POST /device_authorization')).toBe(before);
    const fromVault = result.vars;

    await expectBotocoreGets('legacy', fromVault);
  });

  it('sso-session style: a valid AWS CLI v2 token for the session name is used, and botocore gets the same credentials', async () => {
    const token = sso.issueToken(START_URL);
    await writeCliCache('corp', { startUrl: START_URL, region: 'eu-west-1', ...token });
    expectSuccess(await runInProcess(['clear'], { env: env() }));
    const before = sso.count('POST /device_authorization');
    const result = await exported('dev');
    expect(sso.count('POST /device_authorization')).toBe(before);
    expect(result.stderr).toBe('');
    const fromVault = result.vars;
    await expectBotocoreGets('dev', fromVault);
  });

  it("an SSO user's first command creates the vault that seals the sign-in", async () => {
    const fresh = await sandbox();
    try {
      await writeFile(fresh.configFile, await readFile(box.configFile, 'utf8'));
      const result = await exported('dev', { ...env(), ...fresh.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE });
      expect(result.vars.AWS_ACCESS_KEY_ID).toBe(roleKeys.accessKeyId);
      expect(await readdir(fresh.vaultDir)).toEqual(['vault']);
    } finally {
      await fresh.remove();
    }
  });

  it('ignores a cached token of another region and signs in instead', async () => {
    const token = sso.issueToken(START_URL);
    await writeCliCache('corp', { startUrl: START_URL, region: 'us-west-2', ...token });
    await expect(runInProcess(['clear'], { env: env() })).resolves.toMatchObject({ code: 0 });
    const result = await exported('dev');
    expect(result.stderr).toContain(`The IAM Identity Center sign-in for ${START_URL} is for region us-west-2, not sso_region eu-west-1; signing in again.`);
    expect(result.stderr).toContain('confirm the code');
  });
});
