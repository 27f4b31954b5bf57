import { jest } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join } from 'node:path';
import { putSession, wipeKey } from '@vault/core';
import { awsSetup, MOTO_ACCOUNT } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { vaultBin } from './support/paths.js';
import { parseExported } from './support/print-env.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { tty } from './support/tty.js';
import { describeRun, runVault } from './support/vault.js';
import { unlockInProcess } from './support/vault-state.js';

// The project-level testTimeout in jest.config.ts is not applied by Jest (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'server e2e passphrase';
const ASSUMED_ADMIN = new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/iam_role/\\d{19}$`);
/** vault renews what it serves once less than this is left (exec/with-server.ts). */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** How long the renewal test first gives vault and the child to make its first call before the margin is crossed. */
const LEAD_MS = 5_000;

let moto: SharedMoto;
let box: Sandbox;
let userKeys: { accessKeyId: string; secretAccessKey: string };
let adminRoleArn: string;

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('reader');
  const [keys, adminRole] = await Promise.all([setup.createAccessKey('reader'), setup.createRole('iam_role')]);
  userKeys = keys;
  adminRoleArn = adminRole;
  // The keys are stored through @vault/core, not `vault add` (tested elsewhere): --server is what is tested here.
  box = await sandbox({ passphrase: PASSPHRASE, stored: { 'read-only': keys } });
  const staticProcess = `${process.execPath} -e "console.log(JSON.stringify({Version:1,AccessKeyId:'AKIASTATICSTATIC0001',SecretAccessKey:'static'}))"`;
  await box.writeConfig(
    `[profile read-only]\n\n[profile admin]\nsource_profile = read-only\nrole_arn = ${adminRole}\n\n` +
      `[profile static-process]\ncredential_process = ${staticProcess}\n`,
  );
});
afterAll(async () => {
  await box?.remove();
});

/** vault's environment: sandbox, passphrase, moto as STS, and a region for the AWS CLI and SDKs in the child. */
function env(extra: Env = {}): Env {
  return {
    ...box.env,
    AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_DEFAULT_REGION: 'us-east-1',
    ...extra,
  };
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** A Python (botocore) child: one SDK session calling STS twice, 4 s apart, printing who it was and with which key. */
// Two calls, the second once the time (epoch seconds) in the file argv[2] has come; writes both to the file argv[1].
// Each call is made with the credentials the session holds at that moment (which the SDK renews from the endpoint
// when due): reading the key after a call could name credentials renewed after it, with the previous call's identity.
const TWO_CALLS_PY = `
import boto3, json, sys, time
session = boto3.session.Session()
def call():
    frozen = session.get_credentials().get_frozen_credentials()
    sts = session.client('sts', aws_access_key_id=frozen.access_key, aws_secret_access_key=frozen.secret_key, aws_session_token=frozen.token)
    return {'arn': sts.get_caller_identity()['Arn'], 'key': frozen.access_key}
first = call()
with open(sys.argv[2]) as at:
    time.sleep(max(0, float(at.read()) - time.time()))
second = call()
# While a renewal takes longer than the server's patience (a busy machine), it answers the still-valid credentials;
# a later request gets the renewed ones.
deadline = time.time() + 20
while second['key'] == first['key'] and time.time() < deadline:
    time.sleep(0.5)
    second = call()
with open(sys.argv[1], 'w') as out:
    json.dump({'first': first, 'second': second}, out)
print('refreshed: ' + ('yes' if first['key'] != second['key'] else 'no'))
`;

/**
 * Moves the expiry of the one cached session of `profile` to `at`, through @vault/core: what the vault would hold
 * had the session been issued long ago. Returns the session's access key id.
 */
async function expireCachedSession(profile: string, at: Date): Promise<string> {
  const vault = await unlockInProcess(box.vaultFile, PASSPHRASE);
  try {
    let accessKeyId = '';
    await vault.file.update(vault.key, (data) => {
      const mine = Object.entries(data.sessions).filter(([, s]) => s.profile === profile);
      expect(mine.map(([, s]) => s.profile)).toEqual([profile]);
      const [cacheKey, session] = mine[0]!;
      accessKeyId = session.accessKeyId;
      return putSession(data, cacheKey, { ...session, expiration: at.toISOString() });
    });
    return accessKeyId;
  } finally {
    wipeKey(vault.key);
  }
}

describe('vault exec --server', () => {
  it('gives aws sts get-caller-identity the role through the endpoint, with no static keys in the env', async () => {
    const envFile = join(box.home, 'server-child-env.json');
    const writeEnv = `require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))`;
    const inherited = {
      AWS_ACCESS_KEY_ID: 'AKIAPARENTPARENTPARE',
      AWS_SECRET_ACCESS_KEY: 'parent-secret',
      AWS_SESSION_TOKEN: 'parent-token',
      AWS_SECURITY_TOKEN: 'parent-security-token',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/nonexistent/token',
    };
    const result = await runVault(
      ['exec', '--server', 'admin', '--', 'sh', '-c', `"${process.execPath}" -e "$0" "$1" && aws sts get-caller-identity --output json`, writeEnv, envFile],
      { env: env(inherited) },
    );
    expectSuccess(result);
    expect(JSON.parse(result.stdout).Arn).toMatch(ASSUMED_ADMIN);

    const child = JSON.parse(await readFile(envFile, 'utf8')) as Record<string, string>;
    for (const name of [...Object.keys(inherited), 'AWS_CREDENTIAL_EXPIRATION', 'AWS_VAULT_FILE_PASSPHRASE']) {
      expect({ name, value: child[name] }).toEqual({ name, value: undefined });
    }
    expect(child.AWS_VAULT).toBe('admin');
    // The root, with its slash: the Ruby SDK cannot request an empty path.
    expect(child.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // 32 random bytes, base64url.
    expect(child.AWS_CONTAINER_AUTHORIZATION_TOKEN).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.stderr).not.toContain(child.AWS_CONTAINER_AUTHORIZATION_TOKEN);

    const port = Number(new URL(child.AWS_CONTAINER_CREDENTIALS_FULL_URI!).port);
    expect(await portIsClosed(port)).toBe(true);
  });

  it("serves aws-vault's /role-arn/ARN route: the role assumed with the profile's credentials, for the AWS CLI", async () => {
    // The endpoint's URL with the route after it, as a user writes it and as aws-vault's Docker proxy recipe joins it
    // with a container's relative URI.
    const script = 'AWS_CONTAINER_CREDENTIALS_FULL_URI="${AWS_CONTAINER_CREDENTIALS_FULL_URI}/role-arn/$0" aws sts get-caller-identity --output json';
    const result = await runVault(['exec', '--server', 'read-only', '--', 'sh', '-c', script, adminRoleArn], { env: env() });
    expectSuccess(result);
    expect(JSON.parse(result.stdout).Arn).toMatch(ASSUMED_ADMIN);
    const bad = await runVault(['exec', '--server', 'read-only', '--', 'sh', '-c', script, 'not-an-arn'], { env: env() });
    expect(bad.code).not.toBe(0);
  });

  it('serves the AWS SDK for JavaScript in the child as well', async () => {
    const sdk = createRequire(import.meta.url).resolve('@aws-sdk/client-sts');
    const script = `
      const { STSClient, GetCallerIdentityCommand } = require(process.argv[1]);
      new STSClient({ region: 'us-east-1' }).send(new GetCallerIdentityCommand({})).then((r) => process.stdout.write(r.Arn));`;
    const result = await runVault(['exec', '--server', 'admin', '--', process.execPath, '-e', script, sdk], { env: env() });
    expectSuccess(result);
    expect(result.stdout).toMatch(ASSUMED_ADMIN);
  });

  it('answers 403 without the token or with a wrong one, and the credentials with it', async () => {
    const probe = `
      const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
      const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
      const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      const ask = async (headers, target = url, method = 'GET') => {
        const r = await fetch(target, { headers, method });
        return { status: r.status, body: await r.text() };
      };
      (async () => {
        const answers = {
          none: await ask({}),
          wrong: await ask({ authorization: wrong }),
          bearer: await ask({ authorization: 'Bearer ' + token }),
          otherPath: await ask({ authorization: token }, url + 'v2/credentials/abc'),
          post: await ask({ authorization: token }, url, 'POST'),
          right: await ask({ authorization: token }),
        };
        process.stdout.write(JSON.stringify(answers));
      })();`;
    const result = await runVault(['exec', '--server', 'admin', '--', process.execPath, '-e', probe], { env: env() });
    expectSuccess(result);
    const answers = JSON.parse(result.stdout) as Record<string, { status: number; body: string }>;
    expect(Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.status]))).toEqual({
      none: 403,
      wrong: 403,
      bearer: 403,
      // Any path outside /role-arn/, as aws-vault's `/` route.
      otherPath: 200,
      post: 405,
      right: 200,
    });
    for (const refused of [answers.none!, answers.wrong!, answers.bearer!]) expect(refused.body).not.toMatch(/AccessKeyId|ASIA/);
    const creds = JSON.parse(answers.right!.body);
    expect(Object.keys(creds)).toEqual(['AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
    expect(creds.AccessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(creds.Expiration)).toBeGreaterThan(Date.now());
    // The served credentials are the admin role's.
    const arn = await awsSetup(moto).callerArn({ accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.Token });
    expect(arn).toMatch(ASSUMED_ADMIN);
  });

  /**
   * Caches one admin session, runs `vault exec --server` with TWO_CALLS_PY on a terminal and, while vault waits for
   * the passphrase (it reads its sessions only once unlocked), makes that session expire `leadMs` after the renewal
   * margin: the child's first call should get it, its second, made once the margin is crossed, a renewed one.
   */
  async function crossExpiry(leadMs: number) {
    // Setup, in-process: export caches the session as exec does.
    expectSuccess(await runInProcess(['clear', 'admin'], { env: env() }));
    expectSuccess(await runInProcess(['export', '--duration', '15m', 'admin'], { env: env() }));
    const calls = join(box.home, 'renewal-calls.json');
    const renewAt = join(box.home, 'renew-at');
    const { AWS_VAULT_FILE_PASSPHRASE: _, ...noPassphrase } = env();
    const term = await tty(
      [process.execPath, vaultBin, 'exec', '--server', '--duration', '15m', 'admin', '--', 'python3', '-c', TWO_CALLS_PY, calls, renewAt],
      noPassphrase,
    );
    try {
      await term.waitFor('Vault passphrase:');
      const expiry = Date.now() + REFRESH_MARGIN_MS + leadMs;
      const cachedKey = await expireCachedSession('admin', new Date(expiry));
      await writeFile(renewAt, String((expiry - REFRESH_MARGIN_MS + 1_000) / 1000));
      await term.type(PASSPHRASE);
      await term.enter();
      const screen = await term.waitFor(/refreshed: (yes|no)/, leadMs + 30_000);
      const status = await term.exitCode();
      const { first, second } = JSON.parse(await readFile(calls, 'utf8')) as Record<'first' | 'second', { arn: string; key: string }>;
      return { cachedKey, screen, status, first, second };
    } finally {
      await term.kill();
    }
  }

  it('renews across an expiry for a child SDK that keeps running, asking the passphrase once, and caches the renewal', async () => {
    // The child's first call must come before the margin is crossed; on a machine too busy for that, try a longer lead.
    let run = await crossExpiry(LEAD_MS);
    for (const leadMs of [3 * LEAD_MS, 6 * LEAD_MS]) {
      if (run.first.key === run.cachedKey) break;
      run = await crossExpiry(leadMs);
    }
    const { cachedKey, screen, status, first, second } = run;
    expect(first.key).toBe(cachedKey);
    expect({ status, screen }).toEqual({ status: 0, screen });
    expect(screen).toContain('refreshed: yes');
    expect(screen.split('Vault passphrase:')).toHaveLength(2);
    expect(screen).not.toMatch(/vault: /);
    // A new AssumeRole: a new key and a new (timestamped) session name.
    expect(first.arn).toMatch(ASSUMED_ADMIN);
    expect(second.arn).toMatch(ASSUMED_ADMIN);
    expect(second.key).not.toBe(first.key);
    expect(second.arn).not.toBe(first.arn);

    // The renewed session landed in the vault: a plain exec (5-minute margin) reuses it. Resolved in-process by
    // export, which prints what exec gives its command; the process's part was the run on the terminal above.
    const later = await runInProcess(['export', '--duration', '15m', 'admin', '--format', 'env'], { env: env() });
    expectSuccess(later);
    expect(parseExported(later.stdout).AWS_ACCESS_KEY_ID).toBe(second.key);
  });

  it('warns in one line when [default] in the credentials file has keys the child would take before the endpoint', async () => {
    const credentials = join(box.home, 'default-credentials');
    await writeFile(credentials, '[default]\naws_access_key_id = AKIADEFAULTDEFAULT01\naws_secret_access_key = default-secret\n', { mode: 0o600 });
    const result = await runVault(['exec', '--server', 'admin', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], {
      env: env({ AWS_SHARED_CREDENTIALS_FILE: credentials }),
    });
    expect(result.stderr).toContain(`vault: [default] in ${credentials} gives credentials, which the AWS SDKs and CLI in the command take before the credential endpoint (--server); move them into the vault with \`vault import default\``);
    expect(result.stderr).not.toContain('default-secret');
    // What the warning is about: the AWS CLI took the plaintext keys.
    expect(result.stdout).not.toMatch(ASSUMED_ADMIN);
    const quiet = await runVault(['exec', '--server', 'admin', '--', 'true'], { env: env() });
    expect(quiet.stderr).not.toContain('[default]');
  });

  it("exits with the child's status", async () => {
    const result = await runVault(['exec', '--server', 'admin', '--', 'sh', '-c', 'exit 3'], { env: env() });
    expect({ code: result.code, run: describeRun(result) }).toEqual({ code: 3, run: describeRun(result) });
  });

  it('refuses --no-session and --json, which it cannot honour', async () => {
    // Argument checks, in-process: the exit status is run()'s, which the binary's is (see "exits with the child's status").
    expectOneLineError(await runInProcess(['exec', '--server', '--no-session', 'read-only', '--', 'true'], { env: env() }), /--no-session/, 2);
    expectOneLineError(await runInProcess(['exec', '--server', '--json', 'admin'], { env: env() }), /--json/, 2);
  });

  it('refuses a profile whose credentials have no session token, before running anything', async () => {
    const marker = join(box.home, 'static-ran');
    // In-process: had vault run the command, the marker would exist all the same.
    const result = await runInProcess(['exec', '--server', 'static-process', '--', 'sh', '-c', `touch "${marker}"`], { env: env() });
    expectOneLineError(result, /static-process yields credentials without a session token/);
    await expect(readFile(marker)).rejects.toThrow();
    expect(result.stderr).not.toContain(userKeys.secretAccessKey);
  });
});
