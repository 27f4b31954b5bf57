import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { describeRun, runVault } from './support/vault.js';

// The resolution rules of issue 13 and docs/config.md against moto: which region the command gets, a source
// profile's stored keys as the base, and that exec, export, whoami and login agree. Outcomes of a config, so they
// run in-process (support/in-process.ts); one `vault exec` through the built binary shows that its command gets the
// region export prints.

jest.setTimeout(180_000);

const PASSPHRASE = 'resolution rules passphrase';
const ADMIN = 'arn:aws:iam::123456789012:role/iam_role';
const TOP = 'arn:aws:iam::111111111111:role/top';

// The seeds' config, with a region only on the profile that holds the keys.
const SEEDS = `[profile read-only]
region = eu-west-1

[profile admin]
source_profile = read-only
role_arn = ${ADMIN}
`;

let moto: SharedMoto;
let box: Sandbox;
let federation: { url: string; close(): Promise<void> };

beforeAll(async () => {
  moto = await sharedMoto();
  box = await sandbox({ passphrase: PASSPHRASE });
  federation = await fakeFederation();
  for (const profile of ['read-only', 'mid']) {
    expectSuccess(
      await runInProcess(['add', '--env', profile], {
        env: { ...env(), AWS_ACCESS_KEY_ID: `AKIAFAKE${profile.length}EXAMPLE12`, AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) },
      }),
    );
  }
});
afterAll(async () => {
  await federation?.close();
  await box?.remove();
});

function env(extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

/** `KEY=value` lines (`vault export --format env`, env(1)) as a record. */
function variables(stdout: string): Record<string, string> {
  const lines = stdout.split('\n').filter((line) => line !== '');
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/**
 * AWS_REGION and AWS_DEFAULT_REGION as `vault export --format env PROFILE` prints them: the pair `vault exec` gives
 * its command (both take it from the same resolution; the last test below runs exec itself).
 */
async function childRegion(config: string, profile: string, extra: Env = {}, flags: string[] = []): Promise<[string?, string?]> {
  await box.writeConfig(config);
  const result = await runInProcess(['export', profile, ...flags, '--format', 'env'], { env: env(extra) });
  expectSuccess(result);
  const printed = variables(result.stdout);
  return [printed.AWS_REGION, printed.AWS_DEFAULT_REGION];
}

describe('the region the command gets', () => {
  test("the seeds' config: admin gets no region, not read-only's", async () => {
    expect(await childRegion(SEEDS, 'admin')).toEqual([undefined, undefined]);
    expect(await childRegion(SEEDS, 'read-only')).toEqual(['eu-west-1', 'eu-west-1']);
  });

  test('the environment gives it', async () => {
    expect(await childRegion(SEEDS, 'admin', { AWS_DEFAULT_REGION: 'us-west-2' })).toEqual(['us-west-2', 'us-west-2']);
    expect(await childRegion(SEEDS, 'admin', { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'us-west-2' })).toEqual(['ap-south-1', 'ap-south-1']);
  });

  test("[default] gives it (aws-vault's fallback), below the environment", async () => {
    const config = `[default]\nregion = ca-central-1\n\n${SEEDS}`;
    expect(await childRegion(config, 'admin')).toEqual(['ca-central-1', 'ca-central-1']);
    expect(await childRegion(config, 'admin', { AWS_DEFAULT_REGION: 'us-west-2' })).toEqual(['us-west-2', 'us-west-2']);
  });

  test("the environment beats the profile's own region; --region beats both", async () => {
    const config = `${SEEDS}region = eu-central-1\n`;
    expect(await childRegion(config, 'admin')).toEqual(['eu-central-1', 'eu-central-1']);
    expect(await childRegion(config, 'admin', { AWS_REGION: 'us-west-2' })).toEqual(['us-west-2', 'us-west-2']);
    expect(await childRegion(config, 'admin', { AWS_REGION: 'us-west-2' }, ['--region', 'sa-east-1'])).toEqual(['sa-east-1', 'sa-east-1']);
  });

  test('an empty region = is no region, and a bad region on a source profile does not matter', async () => {
    expect(await childRegion(`${SEEDS}region =\n`, 'admin')).toEqual([undefined, undefined]);
    const badSource = SEEDS.replace('region = eu-west-1', 'region = Europe');
    expect(await childRegion(`${badSource}region = eu-north-1\n`, 'admin')).toEqual(['eu-north-1', 'eu-north-1']);
    await box.writeConfig(badSource);
    expectOneLineError(await runInProcess(['exec', 'read-only', '--', 'true'], { env: env() }), /^vault: invalid region "Europe" in profile read-only/);
  });

  test("a bad region on the target does not matter when --region or the environment gives the region", async () => {
    const badTarget = `${SEEDS}region = us-east-1 # main\n`;
    expect(await childRegion(badTarget, 'admin', { AWS_REGION: 'us-west-2' })).toEqual(['us-west-2', 'us-west-2']);
    expect(await childRegion(badTarget, 'admin', { AWS_DEFAULT_REGION: 'eu-west-2' })).toEqual(['eu-west-2', 'eu-west-2']);
    expect(await childRegion(badTarget, 'admin', {}, ['--region', 'sa-east-1'])).toEqual(['sa-east-1', 'sa-east-1']);
    await box.writeConfig(badTarget);
    expectOneLineError(await runInProcess(['exec', 'admin', '--', 'true'], { env: env() }), /^vault: invalid region "us-east-1 # main" in profile admin/);
  });

  test('exec through the built binary gives its command the region export prints, and login signs in to it', async () => {
    const config = `[default]\nregion = ca-central-1\n\n${SEEDS}`;
    const exported = await childRegion(config, 'admin', { AWS_DEFAULT_REGION: 'us-west-2' });
    expect(exported).toEqual(['us-west-2', 'us-west-2']);
    const exec = await runVault(['exec', 'admin', '--', 'env'], { env: env({ AWS_DEFAULT_REGION: 'us-west-2' }) });
    expectSuccess(exec);
    const child = variables(exec.stdout);
    expect([child.AWS_REGION, child.AWS_DEFAULT_REGION]).toEqual(exported);
    const login = await runInProcess(['login', 'admin', '--stdout'], { env: env({ AWS_VAULT_FEDERATION_ENDPOINT: federation.url }) });
    expectSuccess(login);
    expect(login.stdout).toContain(encodeURIComponent('https://ca-central-1.console.aws.amazon.com/console/home?region=ca-central-1'));
  });
});

describe('a source profile with stored keys', () => {
  // top -> mid -> root, with keys stored for mid; root is broken (a role with nothing to assume it, a bad region).
  const CHAIN =
    `[profile top]\nsource_profile = mid\nrole_arn = ${TOP}\n\n[profile mid]\nsource_profile = root\nrole_arn = ${ADMIN}\n\n` +
    `[profile root]\nrole_arn = ${ADMIN}\nregion = Europe\n`;

  // exec --json resolves as exec does without starting a command (the real AWS CLI as exec's command, on a chain,
  // is exec.test.ts's).
  test("is the base: exec, export and whoami use mid's keys and never read root", async () => {
    await box.writeConfig(CHAIN);
    const whoami = await runInProcess(['whoami', 'top'], { env: env() });
    expectSuccess(whoami);
    expect(whoami.stdout).toContain('arn:aws:sts::111111111111:assumed-role/top/');
    const exported = await runInProcess(['export', 'top', '--format', 'json'], { env: env() });
    expectSuccess(exported);
    const exec = await runInProcess(['exec', 'top', '--json'], { env: env() });
    expectSuccess(exec);
    expect(JSON.parse(exec.stdout)).toEqual(JSON.parse(exported.stdout));
  });

  test('the target itself still needs its source: mid alone fails naming root', async () => {
    await box.writeConfig(CHAIN);
    expectOneLineError(await runInProcess(['exec', 'mid', '--', 'true'], { env: env() }), /^vault: profile root: role_arn has no source_profile/);
  });
});

test('a source_profile chain longer than 32 profiles is one clean line, at once', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 1000; i++) lines.push(`[profile p${i}]`, `source_profile = p${i + 1}`, `role_arn = arn:aws:iam::123456789012:role/r${i}`);
  await box.writeConfig(`${lines.join('\n')}\n[profile p1000]\n`);
  const started = Date.now();
  const result = await runInProcess(['exec', 'p0', '--', 'true'], { env: env() });
  expectOneLineError(result, /^vault: profile p0: its source_profile chain is longer than 32 profiles\. Shorten the chain/);
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(describeRun(result)).not.toContain('    at ');
});

/** A stand-in for the AWS federation endpoint: any getSigninToken request gets a token. */
async function fakeFederation(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ SigninToken: 'fake-signin-token' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/federation`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
