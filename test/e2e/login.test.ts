import { jest } from '@jest/globals';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { awsSetup, MOTO_ACCOUNT, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';

// vault login against moto and a stand-in federation endpoint. The URLs and sessions are outcomes of the command
// line, so vault runs in-process (support/in-process.ts), the opener found on the run's PATH as the binary finds it
// (open-browser.ts is given the run's environment). It runs through the built binary where a browser is opened
// and what the browser process can see of the token is the point (/proc, its argv and environment, the page's mode).

// The project-level testTimeout in jest.config.ts is not applied by Jest (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'login e2e passphrase';

/** A stand-in for signin.aws.amazon.com/federation: records each request, answers getSigninToken. */
interface FakeFederation {
  url: string;
  requests: URL[];
  /** HTTP status of the next answers (200 by default). */
  status: number;
  close(): Promise<void>;
}

async function fakeFederation(): Promise<FakeFederation> {
  const fake = { requests: [] as URL[], status: 200 } as FakeFederation;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push(url);
    const ok = fake.status === 200 && url.searchParams.get('Action') === 'getSigninToken';
    res.writeHead(ok ? 200 : fake.status === 200 ? 400 : fake.status, { 'content-type': 'application/json' });
    res.end(ok ? JSON.stringify({ SigninToken: `fake-signin-token-${fake.requests.length}` }) : '{"error":"refused"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/federation`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

let moto: SharedMoto;
let box: Sandbox;
let fed: FakeFederation;
let userKeys: Keys;

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('reader');
  const [keys, adminRole] = await Promise.all([setup.createAccessKey('reader'), setup.createRole('iam_role')]);
  userKeys = keys;
  fed = await fakeFederation();
  box = await sandbox({ passphrase: PASSPHRASE });
  await box.writeConfig(
    `[profile read-only]\n\n[profile admin]\nsource_profile = read-only\nrole_arn = ${adminRole}\n\n` +
      `[profile regional]\nsource_profile = read-only\nrole_arn = ${adminRole}\nregion = eu-west-2\n`,
  );
  expectSuccess(
    await runInProcess(['add', '--env', 'read-only'], {
      env: { ...env(), AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
    }),
  );
});
beforeEach(() => {
  fed.requests.length = 0;
  fed.status = 200;
});
afterAll(async () => {
  await fed?.close();
  await box?.remove();
});

function env(extra: Env = {}): Env {
  return {
    ...box.env,
    AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_VAULT_FEDERATION_ENDPOINT: fed.url,
    ...extra,
  };
}

/** The one getSigninToken request the fake saw, and the session it carried. */
function sentSession(): { sessionId: string; sessionKey: string; sessionToken: string } {
  expect(fed.requests.map((r) => r.searchParams.get('Action'))).toEqual(['getSigninToken']);
  const request = fed.requests[0]!;
  expect(request.pathname).toBe('/federation');
  return JSON.parse(request.searchParams.get('Session')!);
}

function parseLoginUrl(stdout: string): URL {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return new URL(lines[0]!);
}

describe('vault login --stdout', () => {
  it("prints a login URL with the SigninToken the endpoint gave for the role's session", async () => {
    const result = await runInProcess(['login', 'admin', '--stdout'], { env: env() });
    expectSuccess(result);
    const url = parseLoginUrl(result.stdout);
    expect(url.origin + url.pathname).toBe(fed.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'login',
      Issuer: 'vault',
      Destination: 'https://console.aws.amazon.com/',
      SigninToken: 'fake-signin-token-1',
    });

    const session = sentSession();
    expect(Object.keys(session)).toEqual(['sessionId', 'sessionKey', 'sessionToken']);
    const identity = await awsSetup(moto).aws(['sts', 'get-caller-identity'], {
      accessKeyId: session.sessionId,
      secretAccessKey: session.sessionKey,
      sessionToken: session.sessionToken,
    });
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/iam_role/\\d{19}$`));
    expect(result.stderr).not.toContain(session.sessionKey);
  });

  it('turns long-lived keys without a role into a GetFederationToken session first', async () => {
    const result = await runInProcess(['login', 'read-only', '--stdout', '--debug'], { env: env() });
    expectSuccess(result);
    expect(parseLoginUrl(result.stdout).searchParams.get('SigninToken')).toBe('fake-signin-token-1');
    expect(result.stderr).toContain('GetFederationToken as reader for arn:aws:iam::123456789012:user/reader (1h)');

    const session = sentSession();
    expect(session.sessionId).not.toBe(userKeys.accessKeyId);
    expect(session.sessionToken).toBeTruthy();
    // What moto issues for GetFederationToken (the same for every call) is what reached the endpoint.
    const direct = await awsSetup(moto).aws(['sts', 'get-federation-token', '--name', 'reader'], userKeys);
    expect(session).toEqual({
      sessionId: direct.Credentials.AccessKeyId,
      sessionKey: direct.Credentials.SecretAccessKey,
      sessionToken: direct.Credentials.SessionToken,
    });
    for (const secret of [userKeys.secretAccessKey, session.sessionKey, session.sessionToken]) {
      expect(result.stderr).not.toContain(secret);
    }
  });

  it("sends the browser to the profile region's console, or to --path in it", async () => {
    const home = await runInProcess(['login', 'regional', '--stdout'], { env: env() });
    expectSuccess(home);
    expect(parseLoginUrl(home.stdout).searchParams.get('Destination')).toBe(
      'https://eu-west-2.console.aws.amazon.com/console/home?region=eu-west-2',
    );
    const s3 = await runInProcess(['login', 'admin', '--stdout', '--region', 'ap-south-1', '--path', 's3'], { env: env() });
    expectSuccess(s3);
    expect(parseLoginUrl(s3.stdout).searchParams.get('Destination')).toBe('https://ap-south-1.console.aws.amazon.com/s3?region=ap-south-1');
  });

  it("takes aws-vault's -s for --stdout", async () => {
    // No opener on the PATH given: were -s not taken, vault would say on stderr that no browser could be opened.
    const result = await runInProcess(['login', '-s', 'admin'], { env: env({ PATH: '/nonexistent' }) });
    expectSuccess(result);
    expect(parseLoginUrl(result.stdout).searchParams.get('SigninToken')).toBe('fake-signin-token-1');
    expect(result.stderr).toBe('');
  });

  it('names a malformed AWS_VAULT_FEDERATION_ENDPOINT as such, in one line', async () => {
    const result = await runInProcess(['login', 'admin', '--stdout'], { env: env({ AWS_VAULT_FEDERATION_ENDPOINT: 'signin.example.test/federation' }) });
    expectOneLineError(result, /AWS_VAULT_FEDERATION_ENDPOINT "signin\.example\.test\/federation" is not an http\(s\) URL/);
    expect(fed.requests).toEqual([]);
  });

  it('fails in one line, without the session, when the endpoint refuses it', async () => {
    fed.status = 400;
    const result = await runInProcess(['login', 'admin', '--stdout'], { env: env() });
    const line = expectOneLineError(result, /federation endpoint .* refused the session \(HTTP 400\)/);
    expect(result.stdout).toBe('');
    const session = sentSession();
    for (const secret of [session.sessionKey, session.sessionToken, 'Session=']) expect(line).not.toContain(secret);
  });

  it('checks a federation --duration against the GetFederationToken limits before calling AWS', async () => {
    expectOneLineError(await runInProcess(['login', 'read-only', '--stdout', '--duration', '48h'], { env: env() }), /GetFederationToken/);
    expect(fed.requests).toEqual([]);
  });

  it("takes the federation token's length from AWS_FEDERATION_TOKEN_TTL (aws-vault's variable), checked the same way", async () => {
    const result = await runInProcess(['login', 'read-only', '--stdout', '--debug'], { env: env({ AWS_FEDERATION_TOKEN_TTL: '2h' }) });
    expectSuccess(result);
    expect(result.stderr).toContain('GetFederationToken as reader for arn:aws:iam::123456789012:user/reader (2h)');
    fed.requests.length = 0;
    const tooLong = await runInProcess(['login', 'read-only', '--stdout'], { env: env({ AWS_FEDERATION_TOKEN_TTL: '48h' }) });
    expectOneLineError(tooLong, /^vault: AWS_FEDERATION_TOKEN_TTL 48h .* GetFederationToken/);
    expect(fed.requests).toEqual([]);
  });

  it("takes AWS_VAULT_DURATION as --duration's default, before AWS_FEDERATION_TOKEN_TTL (aws-vault's login)", async () => {
    const result = await runInProcess(['login', 'read-only', '--stdout', '--debug'], { env: env({ AWS_VAULT_DURATION: '3h', AWS_FEDERATION_TOKEN_TTL: '2h' }) });
    expectSuccess(result);
    expect(result.stderr).toContain('GetFederationToken as reader for arn:aws:iam::123456789012:user/reader (3h)');
    fed.requests.length = 0;
    const noUnit = await runInProcess(['login', 'read-only', '--stdout'], { env: env({ AWS_VAULT_DURATION: '3600' }) });
    expectOneLineError(noUnit, /^vault: AWS_VAULT_DURATION="3600" is not valid: a duration needs a unit \(3600s/);
    expect(fed.requests).toEqual([]);
  });
});

describe('vault login without --stdout', () => {
  /**
   * A PATH whose xdg-open/open records what any other process could see of it (its arguments, its /proc cmdline and
   * its environment) and, as a browser would, the page it was given and that page's mode, then exits with `status`.
   */
  async function opener(status: number): Promise<{ path: string; seen: string; page: string; mode: string }> {
    const dir = join(box.home, `opener-${status}`);
    const [seen, page, mode] = ['seen', 'page', 'mode'].map((name) => join(dir, name));
    await mkdir(dir, { recursive: true });
    for (const name of ['xdg-open', 'open']) {
      const script = join(dir, name);
      await writeFile(
        script,
        `#!/bin/sh\n{ printf '%s\\n' "$@"; tr '\\0' '\\n' < /proc/$$/cmdline; env; } > '${seen}'\n` +
          `cat "$1" > '${page}'\nstat -c %a "$1" > '${mode}'\nexit ${status}\n`,
      );
      await chmod(script, 0o755);
    }
    return { path: `${dir}:${box.env.PATH}`, seen, page, mode };
  }

  it('opens a private page that forwards to the sign-in URL, the token in no argv or environment, and prints nothing on stdout', async () => {
    const { path, seen, page, mode } = await opener(0);
    const result = await runVault(['login', 'admin'], { env: env({ PATH: path }) });
    expectSuccess(result);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Opened the AWS console for admin/);
    expect(await readFile(seen, 'utf8')).not.toContain('fake-signin-token-1');
    expect((await readFile(mode, 'utf8')).trim()).toBe('600');
    const refresh = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(await readFile(page, 'utf8'));
    const url = new URL(refresh![1]!.replaceAll('&amp;', '&'));
    expect(url.searchParams.get('SigninToken')).toBe('fake-signin-token-1');
  });

  it('prints the URL when no browser can be opened', async () => {
    const { path, seen } = await opener(3);
    const result = await runInProcess(['login', 'admin'], { env: env({ PATH: path }) });
    expectSuccess(result);
    expect(parseLoginUrl(result.stdout).searchParams.get('SigninToken')).toBe('fake-signin-token-1');
    expect(result.stderr).toMatch(/No browser could be opened/);
    // The opener on the run's PATH was the one tried (and it failed), not one of the test process's.
    expect(await readFile(seen, 'utf8')).toContain('signin.html');
  });
});

describe("aws-vault's login flags", () => {
  it('with no profile and none in AWS_PROFILE, signs in with the keys in the environment (AWS_VAULT_STDOUT prints the URL)', async () => {
    const result = await runInProcess(['login', '--debug'], {
      env: env({ AWS_ACCESS_KEY_ID: userKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: userKeys.secretAccessKey, AWS_VAULT_STDOUT: 'true' }),
    });
    expectSuccess(result);
    expect(parseLoginUrl(result.stdout).searchParams.get('SigninToken')).toBe('fake-signin-token-1');
    // Long-lived keys from the environment become a federation session, as a profile's would.
    expect(result.stderr).toContain('GetFederationToken as reader');
    const session = sentSession();
    expect(session.sessionId).not.toBe(userKeys.accessKeyId);
    expect(result.stderr).not.toContain(userKeys.secretAccessKey);
  });

  it('-a (or AWS_VAULT_AUTO_LOGOUT) wraps the sign-in URL in a sign-out that redirects to it', async () => {
    const plain = parseLoginUrl((await runInProcess(['login', 'admin', '-s'], { env: env() })).stdout);
    for (const [args, extra] of [[['login', 'admin', '-s', '-a'], {}], [['login', 'admin', '--stdout'], { AWS_VAULT_AUTO_LOGOUT: '1' }]] as const) {
      const result = await runInProcess([...args], { env: env(extra) });
      expectSuccess(result);
      const url = parseLoginUrl(result.stdout);
      expect(url.origin + url.pathname).toBe(`${new URL(fed.url).origin}/oauth`);
      expect(url.searchParams.get('Action')).toBe('logout');
      const redirect = new URL(url.searchParams.get('redirect_uri')!);
      expect(redirect.searchParams.get('Action')).toBe('login');
      expect(redirect.searchParams.get('Destination')).toBe(plain.searchParams.get('Destination'));
    }
  });

  it('-n assumes the role with the stored keys directly, no GetSessionToken first', async () => {
    // AWS_MFA_SERIAL names one device for the keys and the role, so without -n the chain starts from a session.
    const mfa = env({ AWS_MFA_SERIAL: `arn:aws:iam::${MOTO_ACCOUNT}:mfa/alice` });
    expectSuccess(await runInProcess(['clear'], { env: mfa }));
    const withSession = await runInProcess(['login', 'admin', '--mfa-token', '123456', '--stdout', '--debug'], { env: mfa });
    expectSuccess(withSession);
    expect(withSession.stderr).toMatch(/GetSessionToken/);
    expectSuccess(await runInProcess(['clear'], { env: mfa }));
    fed.requests.length = 0;
    const result = await runInProcess(['login', 'admin', '-n', '--mfa-token', '123456', '--stdout', '--debug'], { env: mfa });
    expectSuccess(result);
    expect(result.stderr).toMatch(/AssumeRole/);
    expect(result.stderr).not.toMatch(/GetSessionToken/);
    expect(sentSession().sessionId).toMatch(/^ASIA/);
  });
});
