import { jest } from '@jest/globals';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsSetup, MOTO_ACCOUNT } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { parseEnv, printEnv } from './support/print-env.js';
import type { Env, RunResult } from './support/process.js';
import { stsLog, type RecordedRequest } from './support/recorded-requests.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';

// aws-vault's config keys and environment variables (vault/config.go), end to end against moto. Moto accepts any MFA
// code and ignores tags, so its request recording is what shows which parameters reached STS. Which parameters
// those are is an outcome of the settings, so vault runs in-process (support/in-process.ts); the built binary runs
// where a command's output is what is checked (endpoint_url for the aws CLI, --redact) and for the prompt programs
// of AWS_VAULT_PROMPT (in-process, vault finds them on its environment's PATH but starts them with the test
// process's own environment, whose PATH lacks them).

jest.setTimeout(120_000);

const PASSPHRASE = 'aws-vault settings e2e';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/iam_role`;
const OTHER_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/other`;
const MFA_SERIAL = `arn:aws:iam::${MOTO_ACCOUNT}:mfa/alice`;

const CONFIG = `[profile base]

[profile tagged]
source_profile = base
role_arn = ${ROLE}
session_tags = team=platform, project = vault
transitive_session_tags = team
source_identity = alice

[profile plain-role]
source_profile = base
role_arn = ${ROLE}

[profile mfa]
source_profile = base
role_arn = ${ROLE}
mfa_serial = ${MFA_SERIAL}
mfa_process = echo 135790

[profile mfa-prompt]
source_profile = base
role_arn = ${ROLE}
mfa_serial = ${MFA_SERIAL}
`;

let moto: SharedMoto;
let sts: ReturnType<typeof stsLog>;
let template: Sandbox;
const boxes: Sandbox[] = [];

beforeAll(async () => {
  moto = await sharedMoto({ record: true });
  sts = stsLog(moto.recording!);
  const setup = awsSetup(moto);
  await setup.createUser('alice');
  const [keys] = await Promise.all([setup.createAccessKey('alice'), setup.createRole('iam_role'), setup.createRole('other')]);
  template = await sandbox({ passphrase: PASSPHRASE });
  boxes.push(template);
  expectSuccess(
    await runInProcess(['add', '--env', 'base'], {
      env: { ...template.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
    }),
  );
});
afterAll(async () => {
  await Promise.all(boxes.map((b) => b.remove()));
});

/** A sandbox with CONFIG (plus `extra`) and base's keys; nothing cached. */
async function freshBox(extra = ''): Promise<Sandbox> {
  const b = await sandbox();
  boxes.push(b);
  await b.writeConfig(CONFIG + extra);
  await cp(template.vaultDir, b.vaultDir, { recursive: true });
  await chmod(b.vaultDir, 0o700);
  await chmod(b.vaultFile, 0o600);
  return b;
}

function env(b: Sandbox, extra: Env = {}): Env {
  return { ...b.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, AWS_DEFAULT_REGION: 'us-east-1', ...extra };
}

/** Runs vault (in-process unless `run` says otherwise) and returns the STS requests it made. */
async function traced(b: Sandbox, args: string[], extra: Env = {}, run = runInProcess): Promise<{ result: RunResult; calls: RecordedRequest[] }> {
  await sts.mark();
  const result = await run(args, { env: env(b, extra) });
  return { result, calls: await sts.since() };
}

async function execCalls(b: Sandbox, profile: string, extra: Env = {}): Promise<RecordedRequest[]> {
  const { result, calls } = await traced(b, ['exec', profile, '--', 'true'], extra);
  expectSuccess(result);
  return calls;
}

const assumeRole = (calls: RecordedRequest[]) => calls.find((c) => c.action === 'AssumeRole')?.params ?? {};

describe('session_tags, transitive_session_tags, source_identity', () => {
  it('reach AssumeRole as Tags, TransitiveTagKeys and SourceIdentity', async () => {
    const params = assumeRole(await execCalls(await freshBox(), 'tagged'));
    expect(params).toMatchObject({
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'platform',
      'Tags.member.2.Key': 'project',
      'Tags.member.2.Value': 'vault',
      'TransitiveTagKeys.member.1': 'team',
      SourceIdentity: 'alice',
    });
  });

  it('AWS_SESSION_TAGS, AWS_TRANSITIVE_TAGS and AWS_SOURCE_IDENTITY beat the profile, and get their own cached session', async () => {
    const b = await freshBox();
    expect(assumeRole(await execCalls(b, 'tagged'))).toMatchObject({ 'Tags.member.1.Value': 'platform' });
    const fromEnv = { AWS_SESSION_TAGS: 'team=data', AWS_TRANSITIVE_TAGS: 'team', AWS_SOURCE_IDENTITY: 'bob' };
    const params = assumeRole(await execCalls(b, 'tagged', fromEnv));
    expect(params).toMatchObject({ 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'data', SourceIdentity: 'bob' });
    expect(params).not.toHaveProperty('Tags.member.2.Key');
    // Each set of tags has its session: both are now cached.
    expect(await execCalls(b, 'tagged', fromEnv)).toEqual([]);
    expect(await execCalls(b, 'tagged')).toEqual([]);
  });

  it('a malformed value is one line naming the key or variable', async () => {
    const b = await freshBox('\n[profile bad-tags]\nsource_profile = base\nrole_arn = ' + ROLE + '\nsession_tags = team\n');
    expectOneLineError((await traced(b, ['exec', 'bad-tags', '--', 'true'])).result, /invalid session_tags "team" in profile bad-tags/);
    expectOneLineError((await traced(b, ['exec', 'tagged', '--', 'true'], { AWS_SESSION_TAGS: 'team' })).result, /^vault: AWS_SESSION_TAGS="team" is not valid/);
    expectOneLineError((await traced(b, ['exec', 'tagged', '--', 'true'], { AWS_SOURCE_IDENTITY: 'x' })).result, /^vault: AWS_SOURCE_IDENTITY="x"/);
  });
});

describe('AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME, AWS_MFA_SERIAL', () => {
  it('AWS_ROLE_ARN makes a profile of plain keys assume that role, named by AWS_ROLE_SESSION_NAME', async () => {
    const calls = await execCalls(await freshBox(), 'base', { AWS_ROLE_ARN: OTHER_ROLE, AWS_ROLE_SESSION_NAME: 'from-env' });
    // The profile holding the keys assumes its own role: straight from the keys, as in aws-vault.
    expect(calls.map((c) => c.action)).toEqual(['AssumeRole']);
    expect(assumeRole(calls)).toMatchObject({ RoleArn: OTHER_ROLE, RoleSessionName: 'from-env' });
  });

  it("AWS_ROLE_ARN replaces the target profile's role_arn", async () => {
    expect(assumeRole(await execCalls(await freshBox(), 'plain-role', { AWS_ROLE_ARN: OTHER_ROLE }))).toMatchObject({ RoleArn: OTHER_ROLE });
  });

  it('AWS_MFA_SERIAL asks for a code for that device', async () => {
    const b = await freshBox();
    const noCode = await traced(b, ['exec', 'base', '--', 'true'], { AWS_MFA_SERIAL: MFA_SERIAL });
    expectOneLineError(noCode.result, new RegExp(`an MFA code for ${MFA_SERIAL} is needed`));
    expect(noCode.calls).toEqual([]);
    const { result, calls: withCode } = await traced(await freshBox(), ['exec', 'base', '--mfa-token', '246802', '--', 'true'], { AWS_MFA_SERIAL: MFA_SERIAL });
    expectSuccess(result);
    expect(withCode.map((c) => [c.action, c.params.SerialNumber, c.params.TokenCode])).toEqual([['GetSessionToken', MFA_SERIAL, '246802']]);
  });
});

describe('AWS_ACCOUNT_ID', () => {
  it("names the account the child's credentials are in: the role's, else the keys' aws_account_id, as aws-vault gives it", async () => {
    const b = await freshBox('\n[profile keys-with-account]\nsource_profile = base\naws_account_id = 123456789012\n');
    const exported = async (profile: string) => {
      const result = await runInProcess(['export', profile, '--format', 'env'], { env: env(b) });
      expectSuccess(result);
      return /^AWS_ACCOUNT_ID=(.*)$/m.exec(result.stdout)?.[1];
    };
    expect(await exported('plain-role')).toBe(MOTO_ACCOUNT);
    expect(await exported('keys-with-account')).toBe('123456789012');
    expect(await exported('base')).toBeUndefined();
  });
});

describe('session length variables', () => {
  it('AWS_SESSION_TOKEN_TTL, AWS_CHAINED_SESSION_TOKEN_TTL and AWS_ASSUME_ROLE_TTL set the durations asked of STS', async () => {
    const b = await freshBox();
    const durations = (calls: RecordedRequest[]) => calls.map((c) => [c.action, c.params.DurationSeconds]);
    expect(durations(await execCalls(b, 'base', { AWS_SESSION_TOKEN_TTL: '2h' }))).toEqual([['GetSessionToken', '7200']]);
    // A fresh box: the 2 h session above would serve as the base of the chain. AWS_MFA_SERIAL names one device for
    // the keys and the role, so the chain starts from a GetSessionToken session (the code from mfa_process).
    const chained = { AWS_MFA_SERIAL: MFA_SERIAL, AWS_CHAINED_SESSION_TOKEN_TTL: '4h', AWS_ASSUME_ROLE_TTL: '20m' };
    expect(durations(await execCalls(await freshBox(), 'mfa', chained))).toEqual([
      ['GetSessionToken', '14400'],
      ['AssumeRole', '1200'],
    ]);
    // Without a device shared by the keys and the role there is no base session, as in aws-vault.
    expect(durations(await execCalls(await freshBox(), 'plain-role', { AWS_CHAINED_SESSION_TOKEN_TTL: '4h', AWS_ASSUME_ROLE_TTL: '20m' }))).toEqual([
      ['AssumeRole', '1200'],
    ]);
  });

  it("AWS_VAULT_DURATION is login's (as in aws-vault, whose exec has no variable behind --duration): exec leaves it", async () => {
    const calls = await execCalls(await freshBox(), 'plain-role', { AWS_VAULT_DURATION: '45m' });
    expect(assumeRole(calls).DurationSeconds).toBe('3600');
  });

  it('AWS_MIN_TTL decides when a cached session is too close to expiry to use', async () => {
    const b = await freshBox();
    expect(await execCalls(b, 'base', { AWS_SESSION_TOKEN_TTL: '15m' })).toHaveLength(1);
    // The 15-minute session has about 15 minutes left: enough by the 5-minute default, not for AWS_MIN_TTL=20m.
    expect(await execCalls(b, 'base', { AWS_SESSION_TOKEN_TTL: '15m' })).toEqual([]);
    expect(await execCalls(b, 'base', { AWS_SESSION_TOKEN_TTL: '15m', AWS_MIN_TTL: '20m' })).toHaveLength(1);
  });

  it.each([
    ['AWS_SESSION_TOKEN_TTL', 'forever', /^vault: AWS_SESSION_TOKEN_TTL="forever" is not valid: expected a duration/],
    ['AWS_ASSUME_ROLE_TTL', '10m', /^vault: AWS_ASSUME_ROLE_TTL 10m .* outside what AssumeRole allows/],
    ['AWS_MIN_TTL', '5 minutes', /^vault: AWS_MIN_TTL=/],
  ])('%s=%s is a one-line error naming it', async (name, value, message) => {
    expectOneLineError((await traced(await freshBox(), ['exec', 'plain-role', '--', 'true'], { [name]: value })).result, message);
  });
});

describe('endpoint_url and sts_regional_endpoints', () => {
  it('endpoint_url sends STS there and gives the child AWS_ENDPOINT_URL, which the aws CLI then uses', async () => {
    const b = await freshBox(`\n[profile local]\nsource_profile = base\nendpoint_url = ${moto.url}\n`);
    // The environment's region beats the profile's, so it is cleared for the profile's eu-west-1 to count.
    const noOverride = { AWS_ENDPOINT_URL_STS: '', AWS_DEFAULT_REGION: '' };
    const { result, calls } = await traced(b, ['exec', 'local', '--', ...printEnv], noOverride, runVault);
    expectSuccess(result);
    expect(calls.map((c) => c.action)).toEqual(['GetSessionToken']);
    expect(parseEnv(result.stdout).AWS_ENDPOINT_URL).toBe(moto.url);
    // The real aws CLI as the child reaches moto only through that variable.
    const child = await traced(b, ['exec', 'local', '--', 'aws', 'sts', 'get-caller-identity'], noOverride, runVault);
    expectSuccess(child.result);
    expect(JSON.parse(child.result.stdout).Account).toBe(MOTO_ACCOUNT);
  });

  it('never serves a session from one endpoint for another', async () => {
    const b = await freshBox();
    expect(await execCalls(b, 'base')).toHaveLength(1);
    expect(await execCalls(b, 'base')).toEqual([]);
    // The same moto under another name is, as far as vault can tell, another STS.
    const other = moto.url.replace('127.0.0.1', 'localhost');
    expect(await execCalls(b, 'base', { AWS_ENDPOINT_URL_STS: other })).toHaveLength(1);
  });

  it('sts_regional_endpoints = legacy picks the global endpoint; AWS_STS_REGIONAL_ENDPOINTS beats it', async () => {
    // No endpoint override, so the call would go to AWS: mfa_process fails first, after the endpoint is chosen.
    const b = await freshBox(`\n[profile legacy]\nsource_profile = base\nsts_regional_endpoints = legacy\nregion = eu-west-1\nmfa_serial = ${MFA_SERIAL}\nmfa_process = exit 7\n`);
    // The environment's region beats the profile's, so it is cleared for the profile's eu-west-1 to count.
    const noOverride = { AWS_ENDPOINT_URL_STS: '', AWS_DEFAULT_REGION: '' };
    const legacy = await traced(b, ['--debug', 'exec', 'legacy', '--', 'true'], noOverride);
    expect(legacy.result.stderr).toContain('STS endpoint https://sts.amazonaws.com');
    expect(legacy.result.stderr).toContain(`vault: mfa_process (for the code of ${MFA_SERIAL}) failed: it exited with status 7`);
    const regional = await traced(b, ['--debug', 'exec', 'legacy', '--', 'true'], { ...noOverride, AWS_STS_REGIONAL_ENDPOINTS: 'regional' });
    expect(regional.result.stderr).toContain('STS endpoint https://sts.eu-west-1.amazonaws.com');
    expect([...legacy.calls, ...regional.calls]).toEqual([]);
  });
});

describe('mfa_process and AWS_VAULT_PROMPT', () => {
  it('mfa_process gives the code without a terminal; the code is never printed', async () => {
    const { result, calls } = await traced(await freshBox(), ['--debug', 'exec', 'mfa', '--', 'true']);
    expectSuccess(result);
    // Only the role names the device, so its AssumeRole carries the code (aws-vault's rule: no base session).
    expect(calls.map((c) => [c.action, c.params.SerialNumber, c.params.TokenCode])).toEqual([['AssumeRole', MFA_SERIAL, '135790']]);
    expect(result.stderr).toContain('running mfa_process');
    expect(result.stderr + result.stdout).not.toContain('135790');
  });

  it('--mfa-token wins over mfa_process', async () => {
    const b = await freshBox('\n[profile mfa-broken]\nsource_profile = base\nrole_arn = ' + ROLE + `\nmfa_serial = ${MFA_SERIAL}\nmfa_process = exit 1\n`);
    const { result, calls } = await traced(b, ['exec', 'mfa-broken', '--mfa-token', '112233', '--', 'true']);
    expectSuccess(result);
    expect(calls[0]?.params.TokenCode).toBe('112233');
  });

  /** A directory with fake prompt programs that print `code` and record their arguments. */
  async function fakePrograms(code: string, names: string[]): Promise<{ dir: string; argsOf: (name: string) => Promise<string[]> }> {
    const dir = await mkdtemp(join(tmpdir(), 'vault-e2e-prompts-'));
    for (const name of names) {
      const script = `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/${name}.args"\necho ${code}\n`;
      await writeFile(join(dir, name), script, { mode: 0o755 });
    }
    return { dir, argsOf: async (name) => (await readFile(join(dir, `${name}.args`), 'utf8')).trimEnd().split('\n') };
  }

  it.each([
    ['zenity', '--entry'],
    ['kdialog', '--inputbox'],
    ['ykman', 'oath'],
  ])('AWS_VAULT_PROMPT=%s runs that program for the code', async (driver, firstArg) => {
    const fake = await fakePrograms('864200', [driver]);
    try {
      const b = await freshBox();
      const { result, calls } = await traced(b, ['exec', 'mfa-prompt', '--', 'true'], { AWS_VAULT_PROMPT: driver, PATH: `${fake.dir}:${b.env.PATH}` }, runVault);
      expectSuccess(result);
      expect(calls[0]?.params.TokenCode).toBe('864200');
      const args = await fake.argsOf(driver);
      expect(args[0]).toBe(firstArg);
      expect(args.join(' ')).toContain(MFA_SERIAL);
    } finally {
      await rm(fake.dir, { recursive: true, force: true });
    }
  });

  it('with no driver named and stdout not a terminal, asks the first installed of kdialog, osascript, ykman, zenity, as aws-vault does', async () => {
    const fake = await fakePrograms('975310', ['zenity', 'ykman']);
    try {
      const b = await freshBox();
      const { result, calls } = await traced(b, ['--debug', 'exec', 'mfa-prompt', '--', 'true'], { PATH: `${fake.dir}:${b.env.PATH}` }, runVault);
      expectSuccess(result);
      expect(calls[0]?.params.TokenCode).toBe('975310');
      expect((await fake.argsOf('ykman'))[0]).toBe('oath');
      expect(result.stderr).toContain('chosen as aws-vault does with no AWS_VAULT_PROMPT (stdout not a terminal)');
      // The driver named still wins.
      const fresh = await freshBox();
      const named = await traced(fresh, ['exec', 'mfa-prompt', '--', 'true'], { AWS_VAULT_PROMPT: 'zenity', PATH: `${fake.dir}:${fresh.env.PATH}` }, runVault);
      expectSuccess(named.result);
      expect((await fake.argsOf('zenity'))[0]).toBe('--entry');
    } finally {
      await rm(fake.dir, { recursive: true, force: true });
    }
  });

  it('names a prompt program that is not installed, and refuses an unknown driver', async () => {
    const b = await freshBox();
    const noGui = { PATH: '/usr/bin:/bin' };
    expectOneLineError(
      (await traced(b, ['exec', 'mfa-prompt', '--', 'true'], { ...noGui, AWS_VAULT_PROMPT: 'osascript' })).result,
      /AWS_VAULT_PROMPT osascript needs the osascript program, which is not installed/,
    );
    expectOneLineError((await traced(b, ['exec', 'mfa-prompt', '--', 'true'], { AWS_VAULT_PROMPT: 'wincred' })).result, /^vault: AWS_VAULT_PROMPT="wincred" is not valid/);
  });
});

describe('AWS_VAULT_BACKEND and AWS_VAULT_FILE_DIR', () => {
  it('accepts the file backend and refuses any other, saying this vault is file-only', async () => {
    const b = await freshBox();
    expectSuccess((await traced(b, ['exec', 'base', '--', 'true'], { AWS_VAULT_BACKEND: 'file' })).result);
    expectOneLineError(
      (await traced(b, ['exec', 'base', '--', 'true'], { AWS_VAULT_BACKEND: 'keychain' })).result,
      /^vault: AWS_VAULT_BACKEND="keychain": this vault keeps keys only in its own encrypted file/,
    );
  });

  it('expands a leading ~ in AWS_VAULT_FILE_DIR', async () => {
    const b = await freshBox();
    expect(b.vaultDir).toBe(join(b.home, 'vault-dir'));
    expectSuccess((await traced(b, ['exec', 'base', '--', 'true'], { AWS_VAULT_FILE_DIR: '~/vault-dir' })).result);
  });
});

describe('exec --redact and [aws-vault] redact_secrets', () => {
  const echoAll = ['sh', '-c', 'echo "id=$AWS_ACCESS_KEY_ID"; echo "secret=$AWS_SECRET_ACCESS_KEY" >&2; echo "token=$AWS_SESSION_TOKEN"; exit 3'];

  it('--redact replaces the credentials in what the command prints, on stdout and stderr, and keeps its status', async () => {
    const b = await freshBox();
    const result = await runVault(['exec', '--redact', 'base', '--', ...echoAll], { env: env(b) });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('id=<REDACTED>\ntoken=<REDACTED>\n');
    expect(result.stderr).toContain('secret=<REDACTED>\n');
    // Without it, the same command shows them: the filter is what hid them.
    const plain = await runVault(['exec', 'base', '--', ...echoAll], { env: env(b) });
    expect(plain.stdout).toMatch(/^id=A[A-Z0-9]{19}\ntoken=\S{20,}\n$/);
  });

  it('redact_secrets = true in [aws-vault] does the same for every exec; a value that is not true or false is an error', async () => {
    const on = await freshBox('\n[aws-vault]\nredact_secrets = true\n');
    const result = await runVault(['exec', 'base', '--', ...echoAll], { env: env(on) });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('id=<REDACTED>\ntoken=<REDACTED>\n');

    const bad = await freshBox('\n[aws-vault]\nredact_secrets = maybe\n');
    expectOneLineError(await runInProcess(['exec', 'base', '--', 'true'], { env: env(bad) }), /redact_secrets in the \[aws-vault\] section .* is "maybe": write true or false/);
  });

  it('refuses --redact with --server or --json, which put no credentials in the environment', async () => {
    const b = await freshBox();
    for (const flag of ['--server', '--json']) {
      expectOneLineError(await runInProcess(['exec', '--redact', flag, 'base', '--', 'true'], { env: env(b) }), /--redact filters/, 2);
    }
  });
});
