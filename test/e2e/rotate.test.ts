import { jest } from '@jest/globals';
import { getCredentials } from '@vault/core';
import { awsSetup, type AwsSetup, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';
import { unlockInProcess } from './support/vault-state.js';

// `vault rotate` against a moto that checks signatures and IAM policies once the setup is done, so a deleted key
// really stops working and a denied DeleteAccessKey really fails. rotate runs on the binary (its IAM calls take their
// endpoint from the SDK reading process.env); what sets a test up or observes the vault and IAM runs in-process:
// keys stored and read through @vault/core, sessions made and listed by `run()`, IAM and STS asked by signed requests.

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'rotate e2e passphrase';
const ALLOW_ALL = { Effect: 'Allow', Action: '*', Resource: '*' };

// Moto answers this many setup calls unauthenticated: per user, create-user, create-access-key (twice for the
// crowded user) and put-user-policy.
const SETUP_ACTIONS = 3 + 4 + 3 + 3;

let moto: SharedMoto;
let setup: AwsSetup;
let box: Sandbox;
const original = new Map<string, Keys>();

async function createUser(name: string, keyCount: number, statements: object[]): Promise<void> {
  await setup.createUser(name);
  for (let i = 0; i < keyCount; i++) {
    const keys = await setup.createAccessKey(name);
    if (i === 0) original.set(name, keys);
  }
  await setup.putUserPolicy(name, 'e2e', { Version: '2012-10-17', Statement: statements });
}

function env(extra: Env = {}): Env {
  return {
    ...box.env,
    AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_ENDPOINT_URL_IAM: moto.url,
    AWS_DEFAULT_REGION: 'us-east-1',
    ...extra,
  };
}

/** The keys the vault holds for a profile (the first test checks that `exec --no-session` hands them on). */
async function storedKeys(profile: string): Promise<Keys> {
  const stored = getCredentials(await (await unlockInProcess(box.vaultFile, PASSPHRASE)).read(), profile)!;
  return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
}

/** A GetSessionToken through vault, cached in the vault. */
async function cacheSession(profile: string): Promise<void> {
  expectSuccess(await runInProcess(['export', profile], { env: env() }));
}

async function callerArn(profile: string, flags: string[] = []): Promise<string> {
  const result = await runVault(['exec', profile, ...flags, '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], { env: env() });
  expectSuccess(result);
  return JSON.parse(result.stdout).Arn as string;
}

async function sessionCount(profile: string): Promise<number> {
  const listed = await runInProcess(['list', '--json'], { env: env() });
  expectSuccess(listed);
  return JSON.parse(listed.stdout).find((r: { profile: string }) => r.profile === profile).sessions.length;
}

beforeAll(async () => {
  moto = await sharedMoto({ authCount: SETUP_ACTIONS });
  setup = awsSetup(moto);
  await createUser('rotator', 1, [ALLOW_ALL]);
  await createUser('crowded', 2, [ALLOW_ALL]);
  await createUser('keeper', 1, [ALLOW_ALL, { Effect: 'Deny', Action: 'iam:DeleteAccessKey', Resource: '*' }]);
  // What a "force MFA" policy does to calls made with the keys alone (moto does not weigh the MFA condition itself).
  await createUser('mfa-forced', 1, [ALLOW_ALL, { Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*' }]);
  box = await sandbox({ passphrase: PASSPHRASE, stored: Object.fromEntries(original) });
  await box.writeConfig(
    // The device through include_profile, as vault reads it for exec too.
    // crowded's calls find moto through its endpoint_url alone (its test unsets the endpoint variables).
    `[profile rotator]\n\n[profile crowded]\nendpoint_url = ${moto.url}\n\n[profile keeper]\n\n[profile mfa-tpl]\nmfa_serial = arn:aws:iam::123456789012:mfa/mfa-forced\n\n[profile mfa-forced]\ninclude_profile = mfa-tpl\n`,
  );
});
afterAll(async () => {
  await box?.remove();
});

describe('vault rotate', () => {
  it('replaces the key: IAM lists only the stored new key, the old one stops working, sessions are cleared, exec works', async () => {
    const old = original.get('rotator')!;
    await cacheSession('rotator');
    expect(await sessionCount('rotator')).toBe(1);

    const result = await runVault(['rotate', 'rotator'], { env: env() });
    expectSuccess(result);
    const stored = await storedKeys('rotator');
    expect(stored.accessKeyId).not.toBe(old.accessKeyId);
    expect(result.stderr).toContain(
      `Rotated the key of "rotator" (IAM user rotator): ${stored.accessKeyId} is stored, ${old.accessKeyId} is deleted`,
    );
    expect(result.stderr).not.toContain(stored.secretAccessKey);

    expect(await setup.accessKeyIds('rotator', stored)).toEqual([stored.accessKeyId]);
    // The AWS CLI, an independent client, finds the old key refused.
    await expect(setup.aws(['sts', 'get-caller-identity'], old)).rejects.toThrow(/InvalidClientTokenId/);

    expect(await sessionCount('rotator')).toBe(0);
    expect(await callerArn('rotator', ['--no-session'])).toMatch(/:user\/rotator$/);
    // A new GetSessionToken, signed with the new key (moto's checks do not cover the session it returns).
    await cacheSession('rotator');
    expect(await sessionCount('rotator')).toBe(1);
  });

  it('a denied IAM call on a profile with an MFA device says why and what to do instead, changing nothing', async () => {
    const old = original.get('mfa-forced')!;
    const line = expectOneLineError(await runVault(['rotate', 'mfa-forced'], { env: env() }), /IAM CreateAccessKey for user mfa-forced failed \(AccessDenied/);
    expect(line).toContain('mfa-forced names an MFA device (mfa_serial), and a policy that requires MFA denies the IAM calls vault makes with the keys alone');
    expect(await setup.accessKeyIds('mfa-forced', old)).toEqual([old.accessKeyId]);
  });

  it("stops at the two-key limit with a clear error, changing nothing; IAM and STS are asked at the profile's endpoint_url", async () => {
    const old = original.get('crowded')!;
    const before = await setup.accessKeyIds('crowded', old);
    // Without the variables, the only way to moto is the profile's endpoint_url (AWS's endpoints are unreachable here).
    const { AWS_ENDPOINT_URL_STS: _sts, AWS_ENDPOINT_URL_IAM: _iam, ...fromProfile } = env();
    const line = expectOneLineError(await runVault(['rotate', 'crowded'], { env: fromProfile }), /IAM user crowded already has 2 access keys/);
    const other = before.find((id) => id !== old.accessKeyId)!;
    expect(line).toContain(`aws iam delete-access-key --user-name crowded --access-key-id ${other}`);
    expect(line).toContain('nothing was changed');
    expect(await setup.accessKeyIds('crowded', old)).toEqual(before);
    const kept = await storedKeys('crowded');
    expect(kept.accessKeyId).toBe(old.accessKeyId);
    expect(await setup.callerArn(kept)).toMatch(/:user\/crowded$/);
  });

  it('a failure halfway (DeleteAccessKey denied) leaves the new key stored and working, and says what to delete', async () => {
    const old = original.get('keeper')!;
    const line = expectOneLineError(await runVault(['rotate', 'keeper'], { env: env() }), /is stored and works, but deleting the old key/);
    const stored = await storedKeys('keeper');
    expect(stored.accessKeyId).not.toBe(old.accessKeyId);
    expect(line).toContain(`the new key ${stored.accessKeyId} is stored and works`);
    expect(line).toContain(`aws iam delete-access-key --user-name keeper --access-key-id ${old.accessKeyId}`);
    expect(await setup.accessKeyIds('keeper', stored)).toEqual([old.accessKeyId, stored.accessKeyId].sort());
    expect(await setup.callerArn(stored)).toMatch(/:user\/keeper$/);
  });

  it('says which profile to rotate for a role profile with no keys of its own', async () => {
    await box.writeConfig('[profile rotator]\n\n[profile admin]\nsource_profile = rotator\nrole_arn = arn:aws:iam::123456789012:role/admin\n');
    expectOneLineError(await runVault(['rotate', 'admin'], { env: env() }), /its credentials come from "rotator", so rotate that profile/);
  });
});
