import { jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { awsSetup, MOTO_ACCOUNT } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { describeRun, runVault } from './support/vault.js';

// The project-level testTimeout in jest.config.ts is not applied by Jest (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'ec2 server e2e passphrase';
const ASSUMED_ADMIN = new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/iam_role/\\d{19}$`);

let moto: SharedMoto;
let box: Sandbox;

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('reader');
  const [keys, adminRole] = await Promise.all([setup.createAccessKey('reader'), setup.createRole('iam_role')]);
  // The keys are stored through @vault/core, not `vault add` (tested elsewhere): --ec2-server is what is tested here.
  box = await sandbox({ passphrase: PASSPHRASE, stored: { 'read-only': keys } });
  await box.writeConfig(`[profile read-only]\n\n[profile admin]\nsource_profile = read-only\nrole_arn = ${adminRole}\nregion = eu-west-2\n`);
});
afterAll(async () => {
  await box?.remove();
});

function env(extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

describe('vault exec --ec2-server', () => {
  it('serves the real aws CLI through AWS_EC2_METADATA_SERVICE_ENDPOINT, with no keys in its environment', async () => {
    const envFile = join(box.home, 'ec2-child-env.json');
    const writeEnv = `require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))`;
    // Inherited settings that would keep the child's SDK away from the endpoint, or hand it other keys.
    const inherited = { AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: 'AKIAPARENTPARENTPARE', AWS_SECRET_ACCESS_KEY: 'parent' };
    const result = await runVault(
      ['exec', '--ec2-server', 'admin', '--', 'sh', '-c', `"${process.execPath}" -e "$0" "$1" && aws sts get-caller-identity --output json`, writeEnv, envFile],
      { env: env(inherited) },
    );
    expectSuccess(result);
    expect(JSON.parse(result.stdout).Arn).toMatch(ASSUMED_ADMIN);
    const child = JSON.parse(await readFile(envFile, 'utf8')) as Record<string, string>;
    expect(child.AWS_EC2_METADATA_SERVICE_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    for (const name of [...Object.keys(inherited), 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_VAULT_FILE_PASSPHRASE']) {
      expect({ name, value: child[name] }).toEqual({ name, value: undefined });
    }
    expect(child).toMatchObject({ AWS_VAULT: 'admin', AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-west-2' });
  });

  it('speaks IMDSv2: a token from PUT, then GETs carrying it; a GET without one is refused', async () => {
    const probe = `
      const base = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT.replace(/\\/$/, '');
      const ask = async (path, init = {}) => { const r = await fetch(base + path, init); return { status: r.status, body: await r.text() }; };
      (async () => {
        const out = {};
        out.noToken = await ask('/latest/meta-data/iam/security-credentials/');
        out.noTtl = await ask('/latest/api/token', { method: 'PUT' });
        const token = await ask('/latest/api/token', { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } });
        const h = { headers: { 'X-aws-ec2-metadata-token': token.body } };
        out.wrongToken = await ask('/latest/meta-data/iam/security-credentials/', { headers: { 'X-aws-ec2-metadata-token': token.body + 'x' } });
        out.roles = await ask('/latest/meta-data/iam/security-credentials/', h);
        out.creds = await ask('/latest/meta-data/iam/security-credentials/' + out.roles.body, h);
        out.document = await ask('/latest/dynamic/instance-identity/document', h);
        out.other = await ask('/latest/user-data', h);
        out.instanceId = await ask('/latest/meta-data/instance-id', h);
        // A DNS-rebinding page names its own domain as Host (fetch cannot set Host, node:http can).
        const raw = (method, path, headers) => new Promise((done) => {
          const u = new URL(base + path);
          require('http').request({ host: u.hostname, port: u.port, path: u.pathname, method, headers }, (r) => { r.resume(); r.on('end', () => done(r.statusCode)); }).end();
        });
        const rebound = 'attacker.example:8080';
        out.reboundPut = await raw('PUT', '/latest/api/token', { Host: rebound, 'X-aws-ec2-metadata-token-ttl-seconds': '60' });
        out.reboundGet = await raw('GET', '/latest/meta-data/iam/security-credentials/vault', { Host: rebound, 'X-aws-ec2-metadata-token': token.body });
        process.stdout.write(JSON.stringify(out));
      })();`;
    const result = await runVault(['exec', '--ec2-server', 'admin', '--', process.execPath, '-e', probe], { env: env() });
    expectSuccess(result);
    const out = JSON.parse(result.stdout) as Record<string, { status: number; body: string }>;
    expect(out.noToken?.status).toBe(401);
    expect(out.noTtl?.status).toBe(400);
    expect(out.wrongToken?.status).toBe(401);
    expect(out.roles).toEqual({ status: 200, body: 'vault' });
    expect(out.creds?.status).toBe(200);
    const creds = JSON.parse(out.creds?.body ?? '{}') as Record<string, string>;
    expect(creds).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(Date.parse(creds.Expiration ?? '')).toBeGreaterThan(Date.now());
    expect(JSON.parse(out.document?.body ?? '{}')).toEqual({ region: 'eu-west-2' });
    expect(out.other?.status).toBe(404);
    // As aws-vault's endpoint answers it: the AWS SDK for Go v1 asks for it before anything else.
    expect(out.instanceId).toMatchObject({ status: 200, body: 'vault' });
    expect([out.reboundPut, out.reboundGet]).toEqual([403, 403]);
  });

  // Renewal is the machinery --server shares (exec/with-server.ts: the endpoint answers every request from
  // refreshingCredentials), crossed end to end in server.test.ts and with a fake clock in exec/refresh.test.ts.

  it('--server --lazy starts the command before any STS call; without --lazy an unreachable STS stops vault first', async () => {
    expectSuccess(await runInProcess(['clear'], { env: env() }));
    const deadSts = env({ AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' });
    const eager = await runVault(['exec', '--server', 'admin', '--', 'sh', '-c', 'echo started'], { env: deadSts });
    expect(eager.stdout).toBe('');
    expectOneLineError(eager);
    const lazy = await runVault(['exec', '--server', '--lazy', 'admin', '--', 'sh', '-c', 'echo started'], { env: deadSts });
    expect({ code: lazy.code, stdout: lazy.stdout }).toEqual({ code: 0, stdout: 'started\n' });
    const served = await runVault(['exec', '--server', '--lazy', 'admin', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], {
      env: env(),
    });
    expect(result(served)).toMatch(ASSUMED_ADMIN);
    // What --lazy defers is STS, not the checks: an unknown profile stops vault before the command starts.
    const unknown = await runVault(['exec', '--server', '--lazy', 'admn', '--', 'sh', '-c', 'echo started'], { env: env() });
    expect(unknown.stdout).toBe('');
    expectOneLineError(unknown, /unknown profile admn.*did you mean admin/);
    // So does a duration AWS would refuse.
    const tooShort = await runVault(['exec', '--server', '--lazy', '--duration', '10m', 'admin', '--', 'sh', '-c', 'echo started'], { env: deadSts });
    expect(tooShort.stdout).toBe('');
    expectOneLineError(tooShort, /--duration 10m \(600 s\) is outside what AssumeRole allows/);
  });

  it('refuses the combinations aws-vault refuses', async () => {
    for (const argv of [
      ['exec', '--ec2-server', '--server', 'admin', '--', 'true'],
      ['exec', '--ec2-server', '--json', 'admin'],
    ]) {
      expectOneLineError(await runVault(argv, { env: env() }), /--/, 2);
    }
    // --lazy is the container endpoint's; aws-vault ignores it elsewhere, and so does vault.
    expectSuccess(await runVault(['exec', '--lazy', 'admin', '--', 'true'], { env: env() }));
    expectOneLineError(await runVault(['exec', '--ec2-server', '--no-session', 'admin', '--', 'true'], { env: env() }), /--ec2-server/, 2);
  });
});

function result(run: Awaited<ReturnType<typeof runVault>>): string {
  if (run.code !== 0) throw new Error(describeRun(run));
  return (JSON.parse(run.stdout) as { Arn: string }).Arn;
}
