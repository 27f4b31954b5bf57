import { jest } from '@jest/globals';
import { chmod, cp, writeFile } from 'node:fs/promises';
import { awsSetup, MOTO_ACCOUNT, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { vaultBin } from './support/paths.js';
import { run, type Env, type RunResult } from './support/process.js';
import { stsLog } from './support/recorded-requests.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { stsRelay } from './support/sts-relay.js';
import { tty } from './support/tty.js';
import { describeRun, runVault, stderrLines } from './support/vault.js';

// MFA, --assume hops, durations, whoami and clear, against moto. Moto accepts any MFA code and ignores most
// AssumeRole options, so its request recording is what shows which parameters reached STS. vault runs in-process
// (support/in-process.ts) for what it asks of STS and prints; through the built binary where the real aws CLI is
// exec's command, and on a real terminal for the MFA prompt.

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'roles e2e passphrase';
const OTHER_ACCOUNT = '987654321098';
const ADMIN_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/iam_role`;
const WORKER_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/ec2-worker`;
const BACKUP_ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/backup-role`;
const MFA_SERIAL = `arn:aws:iam::${MOTO_ACCOUNT}:mfa/alice`;
const GENERATED_SESSION_NAME = /^\d{19}$/;

const CONFIG = `[profile read-only]

[profile admin]
source_profile = read-only
role_arn = ${ADMIN_ROLE}

[profile mfa-user]
mfa_serial = ${MFA_SERIAL}

[profile mfa-admin]
source_profile = mfa-user
role_arn = ${ADMIN_ROLE}
mfa_serial = ${MFA_SERIAL}

[profile mfa-keys-only]
source_profile = mfa-user
role_arn = ${ADMIN_ROLE}

[profile mfa-other-device]
source_profile = mfa-admin
role_arn = ${WORKER_ROLE}
mfa_serial = ${MFA_SERIAL}-other

[profile mfa-second-hop]
source_profile = admin
role_arn = ${WORKER_ROLE}
mfa_serial = ${MFA_SERIAL}

[profile partner]
source_profile = read-only
role_arn = ${ADMIN_ROLE}
external_id = partner-ext-42
role_session_name = alice-partner
source_identity = alice

[profile long]
source_profile = read-only
role_arn = ${ADMIN_ROLE}
duration_seconds = 7200
`;

let moto: SharedMoto;
let sts: ReturnType<typeof stsLog>;
let keys: Keys;
let user: { arn: string; userId: string };
/** Holds the vault every freshBox() starts from: adding keys once is cheaper than once per test. */
let template: Sandbox;
/** For tests that do not depend on what is cached; the others make their own with freshBox(). */
let box: Sandbox;
const boxes: Sandbox[] = [];

beforeAll(async () => {
  moto = await sharedMoto({ record: true });
  sts = stsLog(moto.recording!);
  const setup = awsSetup(moto);
  const alice = await setup.createUser('alice');
  const [aliceKeys, adminRole, workerRole, backupRole] = await Promise.all([
    setup.createAccessKey('alice'),
    setup.createRole('iam_role'),
    setup.createRole('ec2-worker'),
    setup.createRole('backup-role', { account: OTHER_ACCOUNT }),
  ]);
  expect([adminRole, workerRole, backupRole]).toEqual([ADMIN_ROLE, WORKER_ROLE, BACKUP_ROLE]);
  keys = aliceKeys;
  user = { arn: alice.arn, userId: alice.userId };
  template = await sandbox({ passphrase: PASSPHRASE });
  boxes.push(template);
  for (const profile of ['read-only', 'mfa-user']) {
    expectSuccess(
      await runInProcess(['add', '--env', profile], {
        env: { ...template.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
      }),
    );
  }
  box = await freshBox();
});
afterAll(async () => {
  await Promise.all(boxes.map((b) => b.remove()));
});

/** A sandbox with the config above and alice's keys stored as read-only and as mfa-user; nothing cached. */
async function freshBox(): Promise<Sandbox> {
  const b = await sandbox();
  boxes.push(b);
  await b.writeConfig(CONFIG);
  await cp(template.vaultDir, b.vaultDir, { recursive: true });
  // vault refuses a vault directory or file other users could read.
  await chmod(b.vaultDir, 0o700);
  await chmod(b.vaultFile, 0o600);
  return b;
}

/** The environment of a vault run: passphrase set, moto as STS, no terminal (so no prompt is possible). */
function env(b: Sandbox, extra: Env = {}): Env {
  return { ...b.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, AWS_DEFAULT_REGION: 'us-east-1', ...extra };
}

function vault(b: Sandbox, args: string[]): Promise<RunResult> {
  return runInProcess(args, { env: env(b) });
}

/** Runs vault and returns the STS requests it made. */
async function stsCallsOf(b: Sandbox, args: string[]): Promise<{ result: RunResult; calls: Awaited<ReturnType<typeof sts.since>> }> {
  await sts.mark();
  const result = await vault(b, args);
  return { result, calls: await sts.since() };
}

/** `vault exec PROFILE -- true`, which must succeed; returns the STS actions it took. */
async function execActions(b: Sandbox, profile: string, flags: string[] = []): Promise<string[]> {
  const { result, calls } = await stsCallsOf(b, ['exec', profile, ...flags, '--', 'true']);
  expectSuccess(result);
  return calls.map((c) => c.action);
}

interface Identity {
  Account: string;
  Arn: string;
  UserId: string;
}

async function whoamiJson(b: Sandbox, args: string[]): Promise<Identity> {
  const result = await vault(b, ['whoami', ...args, '--json']);
  expectSuccess(result);
  return JSON.parse(result.stdout) as Identity;
}

/** Seconds from now until the Expiration of `vault export --format json`. */
async function secondsLeft(b: Sandbox, args: string[]): Promise<number> {
  const result = await vault(b, ['export', ...args, '--format', 'json']);
  expectSuccess(result);
  return (Date.parse(JSON.parse(result.stdout).Expiration) - Date.now()) / 1000;
}

describe('MFA', () => {
  it('sends the serial and the --mfa-token code with GetSessionToken, then reuses the session without asking', async () => {
    const b = await freshBox();
    const first = await stsCallsOf(b, ['exec', 'mfa-user', '--mfa-token', '123456', '--', 'true']);
    expectSuccess(first.result);
    expect(first.calls).toEqual([
      {
        action: 'GetSessionToken',
        params: { DurationSeconds: '3600', SerialNumber: MFA_SERIAL, TokenCode: '123456' },
        accessKeyId: keys.accessKeyId,
      },
    ]);
    // No flag and no terminal: had vault needed a code, it would have failed asking for --mfa-token.
    const second = await stsCallsOf(b, ['exec', 'mfa-user', '--', 'true']);
    expectSuccess(second.result);
    expect(second.calls).toEqual([]);
  });

  it('asks once per base session for a role chain: the 8h session carries the code, AssumeRole none', async () => {
    const b = await freshBox();
    const first = await stsCallsOf(b, ['exec', 'mfa-admin', '--mfa-token', '222222', '--', 'true']);
    expectSuccess(first.result);
    expect(first.calls.map((c) => [c.action, c.params])).toEqual([
      ['GetSessionToken', { DurationSeconds: '28800', SerialNumber: MFA_SERIAL, TokenCode: '222222' }],
      ['AssumeRole', { RoleArn: ADMIN_ROLE, RoleSessionName: expect.stringMatching(GENERATED_SESSION_NAME), DurationSeconds: '3600' }],
    ]);
    // A new role session comes from the cached MFA session: no code needed.
    expectSuccess(await vault(b, ['clear', 'mfa-admin']));
    const renewed = await stsCallsOf(b, ['exec', 'mfa-admin', '--', 'true']);
    expectSuccess(renewed.result);
    expect(renewed.calls.map((c) => [c.action, c.params.SerialNumber])).toEqual([['AssumeRole', undefined]]);
  });

  it('asks no code for a role when only the keys\' profile names a device, as aws-vault and the AWS CLI do', async () => {
    const b = await freshBox();
    const { result, calls } = await stsCallsOf(b, ['exec', 'mfa-keys-only', '--', 'true']);
    expectSuccess(result);
    expect(calls.map((c) => [c.action, c.params.SerialNumber, c.accessKeyId])).toEqual([['AssumeRole', undefined, keys.accessKeyId]]);
    // The AWS CLI with the same profiles and the keys in a plaintext credentials file: no code asked, no terminal needed.
    await writeFile(b.credentialsFile, `[mfa-user]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
    const cli = await run('aws', ['sts', 'get-caller-identity', '--profile', 'mfa-keys-only', '--output', 'json'], { env: env(b), timeoutMs: 30_000 });
    expectSuccess(cli);
    expect(JSON.parse(cli.stdout).Arn).toMatch(/:assumed-role\/iam_role\//);
  });

  it('sends the code with a later role that names a device, as aws-vault and the AWS CLI do', async () => {
    const b = await freshBox();
    const { result, calls } = await stsCallsOf(b, ['exec', 'mfa-second-hop', '--mfa-token', '444444', '--', 'true']);
    expectSuccess(result);
    const sent = (c: (typeof calls)[number]) => [c.action, c.params.RoleArn, c.params.SerialNumber, c.params.TokenCode];
    expect(calls.map(sent)).toEqual([
      ['AssumeRole', ADMIN_ROLE, undefined, undefined],
      ['AssumeRole', WORKER_ROLE, MFA_SERIAL, '444444'],
    ]);
    // The AWS CLI on the same profiles (keys in a plaintext file) asks for a code for that role too: it reads it from
    // stdin without a terminal.
    await writeFile(b.credentialsFile, `[read-only]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
    await sts.mark();
    const cli = await run('aws', ['sts', 'get-caller-identity', '--profile', 'mfa-second-hop', '--output', 'json'], {
      env: env(b),
      input: '555555\n',
      timeoutMs: 30_000,
    });
    expectSuccess(cli);
    expect((await sts.since()).filter((c) => c.action === 'AssumeRole').map(sent)).toEqual([
      ['AssumeRole', ADMIN_ROLE, undefined, undefined],
      ['AssumeRole', WORKER_ROLE, MFA_SERIAL, '555555'],
    ]);
  });

  it('sends the code with AssumeRole when the first hop asks for more than 1h (assumed from the stored keys)', async () => {
    const b = await freshBox();
    const { result, calls } = await stsCallsOf(b, ['exec', 'mfa-admin', '--duration', '2h', '--mfa-token', '333333', '--', 'true']);
    expectSuccess(result);
    expect(calls).toEqual([
      {
        action: 'AssumeRole',
        params: {
          RoleArn: ADMIN_ROLE,
          RoleSessionName: expect.stringMatching(GENERATED_SESSION_NAME),
          DurationSeconds: '7200',
          SerialNumber: MFA_SERIAL,
          TokenCode: '333333',
        },
        accessKeyId: keys.accessKeyId,
      },
    ]);
  });

  it('without a code and without a terminal, fails in one line naming --mfa-token, before any STS call', async () => {
    const b = await freshBox();
    const { result, calls } = await stsCallsOf(b, ['exec', 'mfa-user', '--', 'true']);
    const line = expectOneLineError(result, /--mfa-token/);
    expect(line).toContain(MFA_SERIAL);
    expect(calls).toEqual([]);
  });

  it('refuses a code that is not 6 digits before any STS call', async () => {
    const b = await freshBox();
    const { result, calls } = await stsCallsOf(b, ['exec', 'mfa-user', '--mfa-token', '12ab56', '--', 'true']);
    const line = expectOneLineError(result, /not 6 digits/);
    expect(line).not.toContain('12ab56');
    expect(calls).toEqual([]);
  });

  it('keeps the base session when the second prompt of a run is left with Ctrl-C: its code cannot be used again', async () => {
    const b = await freshBox();
    await sts.mark();
    const term = await tty([process.execPath, vaultBin, 'exec', 'mfa-other-device', '--', 'true'], env(b));
    try {
      await term.waitFor(`Enter MFA code for ${MFA_SERIAL}:`);
      await term.type('111111');
      await term.enter();
      await term.waitFor(`Enter MFA code for ${MFA_SERIAL}-other:`);
      await term.press('C-c');
      const status = await term.exitCode();
      const screen = await term.screen();
      expect({ status, screen }).toEqual({ status: 130, screen });
      expect(screen).not.toMatch(/^vault: /m);
    } finally {
      await term.kill();
    }
    expect((await sts.since()).map((c) => [c.action, c.params.SerialNumber])).toEqual([
      ['GetSessionToken', MFA_SERIAL],
      ['AssumeRole', undefined],
    ]);
    // The 8 h session and the first role were kept: mfa-admin needs neither a code nor a call but its own renewal.
    expect(await execActions(b, 'mfa-admin')).toEqual([]);
  });

  it('prompts on a real terminal, then reuses the session without a second prompt', async () => {
    const b = await freshBox();
    const command = [process.execPath, vaultBin, 'exec', 'mfa-user', '--', 'sh', '-c', 'echo "child ran as $AWS_VAULT"'];
    await sts.mark();
    const first = await tty(command, env(b));
    try {
      await first.waitFor(`Enter MFA code for ${MFA_SERIAL}:`);
      await first.type('654321');
      await first.enter();
      const status = await first.exitCode();
      const screen = await first.screen();
      expect({ status, screen }).toEqual({ status: 0, screen });
      expect(screen).toContain('child ran as mfa-user');
    } finally {
      await first.kill();
    }
    expect((await sts.since()).map((c) => [c.action, c.params.TokenCode])).toEqual([['GetSessionToken', '654321']]);

    await sts.mark();
    const second = await tty(command, env(b));
    try {
      const status = await second.exitCode();
      const screen = await second.screen();
      expect({ status, screen }).toEqual({ status: 0, screen });
      expect(screen).toContain('child ran as mfa-user');
      expect(screen).not.toContain('MFA code');
    } finally {
      await second.kill();
    }
    expect(await sts.since()).toEqual([]);
  });

  it('asks again for a typed code that is not 6 digits (3 tries), and sends only a well-formed one', async () => {
    const b = await freshBox();
    await sts.mark();
    const term = await tty([process.execPath, vaultBin, 'exec', 'mfa-user', '--', 'true'], env(b));
    try {
      await term.waitFor(`Enter MFA code for ${MFA_SERIAL}:`);
      await term.type('1234');
      await term.enter();
      await term.waitFor('An MFA code is 6 digits; try again (2 tries left).');
      await term.waitFor(/(MFA code for [\s\S]*){2}/);
      await term.type('246810');
      await term.enter();
      const status = await term.exitCode();
      const screen = await term.screen();
      expect({ status, screen }).toEqual({ status: 0, screen });
    } finally {
      await term.kill();
    }
    expect((await sts.since()).map((c) => [c.action, c.params.TokenCode])).toEqual([['GetSessionToken', '246810']]);

    await sts.mark();
    const typos = await tty([process.execPath, vaultBin, 'exec', 'mfa-user', '--', 'true'], env(await freshBox()));
    try {
      for (const [i, typo] of ['1', '12', '123'].entries()) {
        // The i-th prompt is on screen (the earlier ones stay above it).
        await typos.waitFor(new RegExp(`(MFA code for [\\s\\S]*){${i + 1}}`));
        await typos.type(typo);
        await typos.enter();
      }
      const status = await typos.exitCode();
      const screen = await typos.screen();
      expect({ status, screen }).toEqual({ status: 1, screen });
      expect(screen).toMatch(/vault: the MFA code for \S+ is not 6 digits/);
    } finally {
      await typos.kill();
    }
    expect(await sts.since()).toEqual([]);
  });
});

describe('--assume: ad-hoc role hops', () => {
  it('takes a bare role name in the account of the current credentials', async () => {
    const b = await freshBox();
    const { result, calls } = await stsCallsOf(b, ['whoami', 'read-only', '--assume', 'ec2-worker', '--json', '--verbose']);
    expectSuccess(result);
    const identity = JSON.parse(result.stdout) as Identity;
    expect(identity.Account).toBe(MOTO_ACCOUNT);
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/ec2-worker/\\d{19}$`));
    expect(stderrLines(result)).toEqual([`Switched to role ${WORKER_ROLE}`]);
    // The account comes from GetCallerIdentity on the base session; the last call is whoami's own.
    expect(calls.map((c) => [c.action, c.params.RoleArn])).toEqual([
      ['GetSessionToken', undefined],
      ['GetCallerIdentity', undefined],
      ['AssumeRole', WORKER_ROLE],
      ['GetCallerIdentity', undefined],
    ]);
  });

  it("does what the seeds' aws-assume-role script does: a role name, then a role ARN in another account", async () => {
    const b = await freshBox();
    const result = await runVault([
      'exec', 'read-only', '--assume', 'ec2-worker', '--assume', BACKUP_ROLE, '--verbose',
      '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json',
    ], { env: env(b) });
    expectSuccess(result);
    const identity = JSON.parse(result.stdout) as Identity;
    expect(identity.Account).toBe(OTHER_ACCOUNT);
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/backup-role/\\d{19}$`));
    expect(stderrLines(result).filter((l) => l.startsWith('Switched'))).toEqual([
      `Switched to role ${WORKER_ROLE}`,
      `Switched to role ${BACKUP_ROLE}`,
    ]);
  });

  it('puts a bare name after a role ARN in that role\'s account, without asking GetCallerIdentity', async () => {
    const { result, calls } = await stsCallsOf(box, ['whoami', 'read-only', '--assume', BACKUP_ROLE, '--assume', 'reader', '--json']);
    expectSuccess(result);
    expect(JSON.parse(result.stdout).Arn).toMatch(new RegExp(`^arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/reader/\\d{19}$`));
    expect(calls.filter((c) => c.action === 'AssumeRole').map((c) => c.params.RoleArn)).toEqual([
      BACKUP_ROLE,
      `arn:aws:iam::${OTHER_ACCOUNT}:role/reader`,
    ]);
    expect(calls.filter((c) => c.action === 'GetCallerIdentity')).toHaveLength(1);
  });

  it("adds the hops after a role profile's own chain", async () => {
    const identity = await whoamiJson(box, ['admin', '--assume', 'ec2-worker']);
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/ec2-worker/\\d{19}$`));
  });

  it.each([
    [['--assume', 'bad name!'], /--assume "bad name!" is not valid: give a role name/],
    [['--assume', 'ec2-worker', '--assume', 'arn:aws:iam::98765432109:role/backup-role'], /the account id has 11 digits/],
  ])('refuses a malformed role %j in one line (exit 2), before any STS call', async (assume, message) => {
    const { result, calls } = await stsCallsOf(box, ['exec', 'read-only', ...assume, '--', 'true']);
    expectOneLineError(result, message, 2);
    expect(calls).toEqual([]);
  });

  it('reports switches only with --verbose or --debug, on stderr: export output stays clean', async () => {
    const b = await freshBox();
    const quiet = await vault(b, ['export', 'read-only', '--assume', 'ec2-worker', '--format', 'json']);
    expectSuccess(quiet);
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(quiet.stdout).Version).toBe(1);

    const cached = await vault(b, ['export', 'read-only', '--assume', 'ec2-worker', '--format', 'json', '--verbose']);
    expectSuccess(cached);
    expect(stderrLines(cached)).toEqual([expect.stringMatching(/^Using the cached session of read-only -> --assume ec2-worker \(valid until \S+\)$/)]);
    expect(JSON.parse(cached.stdout).Version).toBe(1);

    expectSuccess(await vault(b, ['clear']));
    const debug = await vault(b, ['export', 'read-only', '--assume', 'ec2-worker', '--format', 'json', '--debug']);
    expectSuccess(debug);
    const lines = stderrLines(debug);
    expect(lines).toContain(`Switched to role ${WORKER_ROLE}`);
    expect(lines.some((l) => l.startsWith('vault[debug]: '))).toBe(true);
    expect(debug.stderr).not.toContain(keys.secretAccessKey);
  });
});

describe('durations', () => {
  it.each([
    ['900', 900],
    ['15m', 900],
    ['1h', 3600],
    ['36h', 129_600],
  ])('--duration %s asks GetSessionToken for %i seconds', async (text, seconds) => {
    expectSuccess(await vault(box, ['clear', 'read-only']));
    await sts.mark();
    const left = await secondsLeft(box, ['read-only', '--duration', text]);
    expect((await sts.since()).map((c) => [c.action, c.params.DurationSeconds])).toEqual([['GetSessionToken', String(seconds)]]);
    expect(left).toBeGreaterThan(seconds - 120);
    expect(left).toBeLessThanOrEqual(seconds);
  });

  it('assumes a single hop of up to 12h straight from the stored keys (AWS caps role sessions from sessions at 1h)', async () => {
    await sts.mark();
    const left = await secondsLeft(box, ['admin', '--duration', '12h']);
    const calls = await sts.since();
    expect(calls.map((c) => [c.action, c.params.DurationSeconds, c.accessKeyId])).toEqual([['AssumeRole', '43200', keys.accessKeyId]]);
    expect(left).toBeGreaterThan(43_200 - 120);
  });

  it("takes the role hop's duration from duration_seconds in the config", async () => {
    await sts.mark();
    const left = await secondsLeft(box, ['long']);
    expect((await sts.since()).map((c) => [c.action, c.params.DurationSeconds, c.accessKeyId])).toEqual([
      ['AssumeRole', '7200', keys.accessKeyId],
    ]);
    expect(left).toBeGreaterThan(7200 - 120);
  });

  it.each([
    [['read-only', '--duration', '10m'], /GetSessionToken allows: 15m to 36h \(900\.\.129600 seconds\)/],
    [['read-only', '--duration', '37h'], /GetSessionToken allows: 15m to 36h/],
    [['admin', '--duration', '13h'], /AssumeRole allows: 15m to 12h \(900\.\.43200 seconds\)/],
    [['read-only', '--assume', 'ec2-worker', '--assume', BACKUP_ROLE, '--duration', '2h'], /caps such role-chaining sessions at 1h; use 3600 seconds \(1h\) or less/],
    [['read-only', '--duration', 'soon'], /invalid duration "soon"/],
  ])('refuses %j in one line, before any STS call', async (args, message) => {
    const { result, calls } = await stsCallsOf(box, ['exec', ...args, '--', 'true']);
    expectOneLineError(result, message);
    expect(calls).toEqual([]);
  });
});

describe('vault whoami', () => {
  it('prints the account, ARN and user id of the stored keys with --no-session', async () => {
    const result = await vault(box, ['whoami', 'read-only', '--no-session']);
    expectSuccess(result);
    expect(result.stdout).toBe(`Account  ${MOTO_ACCOUNT}\nArn      ${user.arn}\nUserId   ${user.userId}\n`);
  });

  it('acts with the very credentials exec gives the command', async () => {
    const exec = await runVault(['exec', 'admin', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], { env: env(box) });
    expectSuccess(exec);
    const { result, calls } = await stsCallsOf(box, ['whoami', 'admin', '--json']);
    expectSuccess(result);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(exec.stdout));
    expect(calls.map((c) => c.action)).toEqual(['GetCallerIdentity']);
  });

  it('fails in one line for an unknown profile', async () => {
    expectOneLineError(await vault(box, ['whoami', 'nobody']), /unknown profile nobody/);
  });
});

describe('role options reaching STS', () => {
  it('sends external_id, role_session_name and source_identity with AssumeRole; the session name is in the ARN', async () => {
    const { result, calls } = await stsCallsOf(box, ['whoami', 'partner', '--json']);
    expectSuccess(result);
    expect(JSON.parse(result.stdout).Arn).toBe(`arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/iam_role/alice-partner`);
    expect(calls.find((c) => c.action === 'AssumeRole')?.params).toEqual({
      RoleArn: ADMIN_ROLE,
      RoleSessionName: 'alice-partner',
      DurationSeconds: '3600',
      ExternalId: 'partner-ext-42',
      SourceIdentity: 'alice',
    });
  });
});

describe('vault list and vault clear', () => {
  it('list shows each cached session with its chain and the time left', async () => {
    const b = await freshBox();
    expectSuccess(await vault(b, ['exec', 'admin', '--', 'true']));
    expectSuccess(await vault(b, ['exec', 'read-only', '--assume', 'ec2-worker', '--', 'true']));

    const json = await vault(b, ['list', '--json']);
    expectSuccess(json);
    const rows = JSON.parse(json.stdout) as Array<{ profile: string; sessions: Array<{ chain: string; secondsLeft: number }> }>;
    const sessions = Object.fromEntries(rows.map((r) => [r.profile, r.sessions.map((s) => [s.chain, Math.round(s.secondsLeft / 60)])]));
    expect(sessions.admin).toEqual([['read-only -> admin', 60]]);
    expect(sessions['read-only']).toEqual(
      expect.arrayContaining([
        ['read-only', 480],
        ['read-only -> --assume ec2-worker', 60],
      ]),
    );
    expect(sessions['read-only']).toHaveLength(2);

    const table = await vault(b, ['list']);
    expectSuccess(table);
    expect(table.stdout).toMatch(/^admin +- +read-only -> admin \(59m left\)$/m);
    expect(table.stdout).toMatch(/^read-only +stored +.*read-only \(7h59m left\)/m);
  });

  it('clear PROFILE drops the sessions through that profile, so the next exec calls STS again', async () => {
    const b = await freshBox();
    const withCode = ['--mfa-token', '123456'];
    expect(await execActions(b, 'mfa-admin', withCode)).toEqual(['GetSessionToken', 'AssumeRole']);
    expect(await execActions(b, 'mfa-admin')).toEqual([]);

    const cleared = await vault(b, ['clear', 'mfa-admin']);
    expectSuccess(cleared);
    expect(cleared.stderr).toBe('Cleared 1 cached session of profile mfa-admin.\n');
    // The base session of mfa-user is not mfa-admin's: it stays, so only the role is assumed again, with no code.
    expect(await execActions(b, 'mfa-admin')).toEqual(['AssumeRole']);

    const all = await vault(b, ['clear']);
    expectSuccess(all);
    expect(all.stderr).toBe('Cleared 2 cached sessions.\n');
    expect(await execActions(b, 'mfa-admin', withCode)).toEqual(['GetSessionToken', 'AssumeRole']);
  });

  it('clear makes exec fail when STS is gone, where the cache had made it work', async () => {
    const b = await freshBox();
    // Sessions are cached per STS endpoint, so STS goes away by closing the relay the first run reached moto through.
    const relay = await stsRelay(moto.url);
    const stsGone = env(b, { AWS_ENDPOINT_URL_STS: relay.url });
    expectSuccess(await runInProcess(['exec', 'admin', '--', 'true'], { env: stsGone }));
    await relay.close();
    expectSuccess(await runInProcess(['exec', 'admin', '--', 'true'], { env: stsGone }));
    expectSuccess(await runInProcess(['clear', 'admin'], { env: stsGone }));
    const after = await runInProcess(['exec', 'admin', '--', 'true'], { env: stsGone });
    expectOneLineError(after, /cannot reach STS/);
  });

  it('clear names an unknown profile, with a suggestion, instead of clearing nothing', async () => {
    const result = await vault(box, ['clear', 'admn']);
    expectOneLineError(result, /unknown profile admn: .*did you mean admin\?/);
  });

  it('clear with no vault yet clears nothing and succeeds', async () => {
    const empty = await sandbox();
    boxes.push(empty);
    const result = await runInProcess(['clear'], { env: { ...empty.env } });
    expect({ code: result.code, run: describeRun(result) }).toEqual({ code: 0, run: describeRun(result) });
    expect(result.stderr).toBe('Cleared 0 cached sessions.\n');
  });
});

describe('AccessDenied on AssumeRole (moto enforcing IAM policies)', () => {
  // Moto answers the setup (user, key, policy, role) unauthenticated, then checks signatures and identity policies.
  const SETUP_ACTIONS = 4;
  let strict: SharedMoto;
  let b: Sandbox;
  let bob: { arn: string };
  const TARGET = `arn:aws:iam::${MOTO_ACCOUNT}:role/target`;

  beforeAll(async () => {
    // Resets this worker's moto, which the tests above are done with: keep this block last in the file.
    strict = await sharedMoto({ authCount: SETUP_ACTIONS });
    const setup = awsSetup(strict);
    bob = await setup.createUser('bob');
    const bobKeys = await setup.createAccessKey('bob');
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' }] };
    await setup.putUserPolicy('bob', 'no-assume', policy);
    expect(await setup.createRole('target')).toBe(TARGET);
    b = await sandbox({ passphrase: PASSPHRASE });
    boxes.push(b);
    await b.writeConfig(`[profile bob]\n\n[profile target]\nsource_profile = bob\nrole_arn = ${TARGET}\n`);
    expectSuccess(
      await runInProcess(['add', '--env', 'bob'], {
        env: { ...b.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ACCESS_KEY_ID: bobKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: bobKeys.secretAccessKey },
      }),
    );
  });

  it.each([['exec', 'target', '--no-session', '--', 'true'], ['whoami', 'target', '--no-session']])(
    '%s names the caller, the role, and both policies that must allow it',
    async (...args) => {
      const result = await runInProcess(args, { env: env(b, { AWS_ENDPOINT_URL_STS: strict.url }) });
      const line = expectOneLineError(result, /AWS denied AssumeRole/);
      expect(line).toContain(`on ${TARGET} for ${bob.arn}`);
      expect(line).toContain(`identity policy must allow sts:AssumeRole on ${TARGET}`);
      expect(line).toContain(`trust policy must name ${bob.arn} (or its account)`);
    },
  );
});
