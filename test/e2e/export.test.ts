import { jest } from '@jest/globals';
import { awsSetup, MOTO_ACCOUNT } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { vaultBin } from './support/paths.js';
import { run, type Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';

// vault export's formats, in-process (support/in-process.ts): what it prints for a command line. The built binary
// runs as the AWS CLI's credential_process.

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'export e2e passphrase';
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

interface ProcessCredentials {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

let moto: SharedMoto;
let box: Sandbox;
/** The admin session from the first export; later commands must reuse it from the cache. */
let reference: ProcessCredentials;

function env(extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

async function exportAdmin(format: string): Promise<string> {
  const result = await runInProcess(['export', 'admin', '--format', format], { env: env() });
  expectSuccess(result);
  return result.stdout;
}

function expectProcessCredentials(json: unknown): asserts json is ProcessCredentials {
  expect(json).toEqual({
    Version: 1,
    AccessKeyId: expect.stringMatching(/^ASIA/),
    SecretAccessKey: expect.any(String),
    SessionToken: expect.any(String),
    Expiration: expect.stringMatching(ISO_8601),
  });
  expect(Date.parse((json as ProcessCredentials).Expiration)).toBeGreaterThan(Date.now());
}

/** KEY=VALUE lines (as `docker run --env-file` reads them) into a map; fails on any other line. */
function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    expect({ line, valid: match !== null }).toEqual({ line, valid: true });
    vars[match![1]!] = match![2]!;
  }
  return vars;
}

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('exporter');
  const [keys, adminRole] = await Promise.all([setup.createAccessKey('exporter'), setup.createRole('iam_role')]);
  box = await sandbox({ passphrase: PASSPHRASE });
  await box.writeConfig(`[profile read-only]

[profile admin]
source_profile = read-only
role_arn = ${adminRole}

[profile via-cp]
credential_process = ${process.execPath} ${vaultBin} export --format json admin

[profile self-cp]
credential_process = ${process.execPath} ${vaultBin} export --format json self-cp

[profile other-cp]
credential_process = echo '{"Version": 1, "AccessKeyId": "AKIAFROMPROCESS00000", "SecretAccessKey": "x"}'
`);
  expectSuccess(await runInProcess(['add', '--env', 'read-only'], {
    env: env({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }),
  }));
  const json = JSON.parse(await exportAdmin('json'));
  expectProcessCredentials(json);
  reference = json;
});
afterAll(async () => {
  await box?.remove();
});

describe('vault export', () => {
  it('prints the credential_process JSON', async () => {
    const json = JSON.parse(await exportAdmin('json'));
    expectProcessCredentials(json);
    expect(json).toEqual(reference);
  });

  it('prints KEY=VALUE lines usable as an env file', async () => {
    const vars = parseEnvFile(await exportAdmin('env'));
    expect(vars).toEqual(expect.objectContaining({
      AWS_ACCESS_KEY_ID: reference.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: reference.SecretAccessKey,
      AWS_SESSION_TOKEN: reference.SessionToken,
    }));
    expect(vars.AWS_CREDENTIAL_EXPIRATION).toMatch(ISO_8601);
  });

  it('prints export lines a shell can eval', async () => {
    const text = await exportAdmin('export-env');
    for (const line of text.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^export [A-Z_][A-Z0-9_]*=/);
    // The script arrives on stdin, so no credential is put on a command line.
    const shell = await run('sh', ['-c', 'eval "$(cat)"; printf "%s\\n" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"'], {
      env: { PATH: box.env.PATH! },
      input: text,
    });
    expectSuccess(shell);
    expect(shell.stdout).toBe(`${reference.AccessKeyId}\n${reference.SecretAccessKey}\n${reference.SessionToken}\n`);
  });

  it('prints a credentials-file section', async () => {
    const lines = (await exportAdmin('ini')).split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe('[admin]');
    const values: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const match = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
      expect({ line, valid: match !== null }).toEqual({ line, valid: true });
      values[match![1]!] = match![2]!;
    }
    expect(values).toEqual(expect.objectContaining({
      aws_access_key_id: reference.AccessKeyId,
      aws_secret_access_key: reference.SecretAccessKey,
      aws_session_token: reference.SessionToken,
    }));
  });
});

describe('vault exec --json', () => {
  it('prints the same credential_process JSON instead of running a command', async () => {
    const result = await runInProcess(['exec', 'admin', '--json'], { env: env() });
    expectSuccess(result);
    const json = JSON.parse(result.stdout);
    expectProcessCredentials(json);
    expect(json).toEqual(reference);
  });
});

describe('credential_process', () => {
  it('that runs vault for its own profile, with no keys stored for it, is one line, not vault starting itself without end', async () => {
    // The shape of aws-vault issue 1180, on a machine with no vault yet.
    const empty = await sandbox();
    try {
      await empty.writeConfig(`[profile self-cp]\ncredential_process = ${process.execPath} ${vaultBin} export --format json self-cp\n`);
      const looping = await runVault(['export', '--format', 'json', 'self-cp'], { env: { ...empty.env, AWS_ENDPOINT_URL_STS: moto.url }, timeoutMs: 60_000 });
      // Said by the vault asked, without starting the second one the process would be.
      expectOneLineError(looping, /^vault: credential_process of profile self-cp failed: it runs vault for self-cp, which has no keys stored/);
    } finally {
      await empty.remove();
    }
  });

  it("uses keys stored for a profile before its credential_process (aws-vault's `credential_process = aws-vault exec P --json` on P)", async () => {
    const keys = await runInProcess(['export', '--format', 'json', 'read-only', '--no-session'], { env: env() });
    expectSuccess(keys);
    const { AccessKeyId, SecretAccessKey } = JSON.parse(keys.stdout) as ProcessCredentials;
    for (const profile of ['self-cp', 'other-cp']) {
      expectSuccess(await runInProcess(['add', '--env', profile], { env: env({ AWS_ACCESS_KEY_ID: AccessKeyId, AWS_SECRET_ACCESS_KEY: SecretAccessKey }) }));
      const stored = await runVault(['export', '--format', 'json', profile, '--no-session'], { env: env(), timeoutMs: 60_000 });
      expectSuccess(stored);
      expect(JSON.parse(stored.stdout)).toMatchObject({ AccessKeyId });
    }
  });

  it('lets the real AWS CLI use a profile backed by vault export --format json', async () => {
    const result = await run('aws', ['sts', 'get-caller-identity', '--profile', 'via-cp', '--output', 'json'], {
      env: env({ AWS_DEFAULT_REGION: 'us-east-1' }),
      timeoutMs: 60_000,
    });
    expectSuccess(result);
    expect(JSON.parse(result.stdout).Arn).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/iam_role/`));
  });
});
