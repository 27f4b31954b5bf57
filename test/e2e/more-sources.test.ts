import { jest } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { awsSetup, MOTO_ACCOUNT, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runInProcess } from './support/in-process.js';
import { parseExported } from './support/print-env.js';
import { runVault } from './support/vault.js';

// web_identity_token_file (moto implements AssumeRoleWithWebIdentity) and credential_source, against moto; the ECS
// container endpoint is a local stub serving moto keys. Which credentials a profile resolves to is logic: resolved
// in-process (`export`, what exec gives its command) and asked of moto's STS by a signed request. One case runs on
// the binary with the real aws CLI as exec's child, so the whole path stays tested end to end.
jest.setTimeout(120_000);

let moto: SharedMoto;
let box: Sandbox;
let keys: Keys;
let ecs: Server;
let ecsUrl: string;
let ecsAuthorization: string | undefined;
const imdsRequests: string[] = [];

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('machine');
  const [machineKeys, ciRole, adminRole] = await Promise.all([setup.createAccessKey('machine'), setup.createRole('ci'), setup.createRole('ci-admin')]);
  keys = machineKeys;
  // One stub for both: the ECS endpoint at /creds, and IMDSv2 (a session token, then the role with it) under /latest.
  ecs = createServer((req, res) => {
    const body = JSON.stringify({ AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey });
    if (req.url === '/creds') {
      ecsAuthorization = req.headers.authorization;
      res.end(body);
    } else if (req.method === 'PUT' && req.url === '/latest/api/token') {
      res.end('imds-session');
    } else if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-session') {
      res.writeHead(401).end();
    } else {
      imdsRequests.push(req.url ?? '');
      res.end(req.url === '/latest/meta-data/iam/security-credentials/' ? 'instance-role' : body);
    }
  });
  await new Promise<void>((resolve) => ecs.listen(0, '127.0.0.1', resolve));
  ecsUrl = `http://127.0.0.1:${(ecs.address() as AddressInfo).port}/creds`;
  box = await sandbox();
  const tokenFile = join(box.home, 'token.jwt');
  await writeFile(tokenFile, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl\n');
  await box.writeConfig(
    [
      '[profile ci]',
      `role_arn = ${ciRole}`,
      `web_identity_token_file = ${tokenFile}`,
      'role_session_name = ci-run',
      '[profile ci-admin]',
      'source_profile = ci',
      `role_arn = ${adminRole}`,
      '[profile settings-only]',
      'region = ap-south-1',
      '[profile from-env]',
      `role_arn = ${adminRole}`,
      'credential_source = Environment',
      '[profile from-ecs]',
      `role_arn = ${adminRole}`,
      'credential_source = EcsContainer',
      '[profile from-ec2]',
      `role_arn = ${adminRole}`,
      'credential_source = Ec2InstanceMetadata',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await new Promise((resolve) => ecs?.close(resolve));
  await box?.remove();
});

function env(extra: Env = {}): Env {
  return { ...box.env, AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'us-east-1', ...extra };
}

/** Whom exec's command would act as: the profile resolved in-process, its credentials put to GetCallerIdentity. */
async function callerArn(profile: string, extra: Env = {}): Promise<string> {
  const result = await runInProcess(['export', profile, '--format', 'env'], { env: env(extra) });
  expectSuccess(result);
  const vars = parseExported(result.stdout);
  return awsSetup(moto).callerArn({ accessKeyId: vars.AWS_ACCESS_KEY_ID!, secretAccessKey: vars.AWS_SECRET_ACCESS_KEY!, sessionToken: vars.AWS_SESSION_TOKEN! });
}

/** The same through the binary, with the real aws CLI as exec's child asking STS. */
async function callerArnOfChild(profile: string, extra: Env = {}): Promise<string> {
  const result = await runVault(['exec', profile, '--', 'aws', '--endpoint-url', moto.url, 'sts', 'get-caller-identity', '--output', 'json'], { env: env(extra) });
  expectSuccess(result);
  return JSON.parse(result.stdout).Arn;
}

describe('web identity and credential_source profiles (no vault needed)', () => {
  it('web_identity_token_file + role_arn: AssumeRoleWithWebIdentity with role_session_name, as a base and as a source profile', async () => {
    expect(await callerArnOfChild('ci')).toBe(`arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/ci/ci-run`);
    expect(await callerArn('ci-admin')).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/ci-admin/\\d{19}$`));
  });

  it('AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN from the environment', async () => {
    const arn = await callerArn('from-env', {
      AWS_WEB_IDENTITY_TOKEN_FILE: join(box.home, 'token.jwt'),
      AWS_ROLE_ARN: `arn:aws:iam::${MOTO_ACCOUNT}:role/ci`,
      AWS_ROLE_SESSION_NAME: 'from-variables',
    });
    expect(arn).toBe(`arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/ci/from-variables`);
    // A profile of plain settings, with no stored keys, and the default profile with no section at all: the
    // variables alone give the credentials, as they do to the AWS CLI. An unknown profile is still refused.
    const variables = { AWS_WEB_IDENTITY_TOKEN_FILE: join(box.home, 'token.jwt'), AWS_ROLE_ARN: `arn:aws:iam::${MOTO_ACCOUNT}:role/ci` };
    for (const profile of ['settings-only', 'default']) {
      expect(await callerArn(profile, variables)).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/ci/`));
    }
    expectOneLineError(await runInProcess(['export', 'settigns-only', '--format', 'env'], { env: env(variables) }), /unknown profile settigns-only/);
    // The same for a lazy credential endpoint, whose checks before the command starts must not ask for stored keys.
    const lazy = await runInProcess(['exec', '--server', '--lazy', 'settings-only', '--', 'true'], { env: env(variables) });
    expectSuccess(lazy);
  });

  it('credential_source = Environment, EcsContainer and Ec2InstanceMetadata (IMDSv2) assume the role with the machine credentials', async () => {
    const fromEnv = await callerArn('from-env', { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
    expect(fromEnv).toMatch(/assumed-role\/ci-admin\/\d{19}$/);
    const fromEcs = await callerArn('from-ecs', { AWS_CONTAINER_CREDENTIALS_FULL_URI: ecsUrl, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'ecs-auth' });
    expect(fromEcs).toMatch(/assumed-role\/ci-admin\/\d{19}$/);
    expect(ecsAuthorization).toBe('ecs-auth');
    const fromEc2 = await callerArn('from-ec2', { AWS_EC2_METADATA_DISABLED: 'false', AWS_EC2_METADATA_SERVICE_ENDPOINT: new URL(ecsUrl).origin });
    expect(fromEc2).toMatch(/assumed-role\/ci-admin\/\d{19}$/);
    expect(imdsRequests).toEqual(['/latest/meta-data/iam/security-credentials/', '/latest/meta-data/iam/security-credentials/instance-role']);
  });
});
