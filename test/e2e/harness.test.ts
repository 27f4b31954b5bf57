// Checks the end-to-end harness itself, independent of the CLI, so a failing spec can be trusted to be
// about vault and not about the fixture.
import { jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { awsSetup, MOTO_ACCOUNT } from './support/aws-setup.js';
import { VaultFile } from '@vault/core';
import { runInProcess } from './support/in-process.js';
import { freePort, sharedMoto, startMoto, type SharedMoto } from './support/moto.js';
import { vaultBin } from './support/paths.js';
import { run, start, waitForOutput } from './support/process.js';
import { recordedRequests } from './support/recorded-requests.js';
import { FIXTURE_KDF, sandbox, type Sandbox } from './support/sandbox.js';
import { tty } from './support/tty.js';
import { runVault } from './support/vault.js';

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const node = process.execPath;

describe('sandbox', () => {
  let box: Sandbox;
  const saved = process.env.AWS_PROFILE;
  beforeAll(async () => {
    process.env.AWS_PROFILE = 'leaked-from-the-developer';
    box = await sandbox();
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.AWS_PROFILE;
    else process.env.AWS_PROFILE = saved;
    await box.remove();
  });

  it('points every AWS file into a private HOME and drops inherited AWS_* variables', async () => {
    expect(box.env.HOME).toBe(box.home);
    expect(box.env.AWS_CONFIG_FILE).toBe(`${box.home}/.aws/config`);
    expect(box.env.AWS_SHARED_CREDENTIALS_FILE).toBe(`${box.home}/.aws/credentials`);
    expect(box.env.AWS_VAULT_FILE_DIR!.startsWith(`${box.home}/`)).toBe(true);
    expect(box.env.AWS_PROFILE).toBeUndefined();
    expect(box.env.NODE_OPTIONS).toBeUndefined();
    expect((await stat(`${box.home}/.aws`)).isDirectory()).toBe(true);
    // No vault: the CLI creates it, at its real cost.
    expect(existsSync(box.vaultDir)).toBe(false);
  });

  it('with a passphrase, starts from an empty vault sealed at the fixture KDF cost, and removes itself', async () => {
    const other = await sandbox({ passphrase: 'fixture passphrase' });
    const file = new VaultFile(other.vaultFile);
    expect((await file.readKeyInfo()).kdf).toEqual(FIXTURE_KDF);
    expect((await file.read(await file.unlock('fixture passphrase'))).credentials).toEqual({});
    await other.remove();
    expect(existsSync(other.home)).toBe(false);
  });

  it('locates the CLI entry point', () => {
    expect(vaultBin).toMatch(/\/packages\/cli\/bin\/vault\.cjs$/);
    expect(existsSync(vaultBin)).toBe(true);
  });
});

describe('process runner', () => {
  it('captures status, output and feeds stdin', async () => {
    const result = await run(node, ['-e', 'process.stdin.pipe(process.stdout); process.stderr.write("e"); process.stdin.on("end", () => process.exitCode = 3)'], {
      env: { PATH: process.env.PATH! },
      input: 'hello',
    });
    expect(result).toEqual({ code: 3, signal: null, stdout: 'hello', stderr: 'e', timedOut: false });
  });

  it('passes exactly the given environment', async () => {
    const result = await run(node, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], { env: { ONLY: 'this' } });
    const env = JSON.parse(result.stdout);
    expect(env.ONLY).toBe('this');
    expect(env.PATH).toBeUndefined();
  });

  it('kills the whole process group on timeout', async () => {
    const result = await run('sh', ['-c', 'sleep 30 & echo $!; wait'], { env: { PATH: process.env.PATH! }, timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    const background = Number(result.stdout.trim());
    await new Promise((r) => setTimeout(r, 100));
    // Gone, or a zombie when the init of a container does not reap orphans.
    const state = existsSync(`/proc/${background}/stat`) ? readFileSync(`/proc/${background}/stat`, 'utf8').split(') ')[1]![0] : 'gone';
    expect(['gone', 'Z']).toContain(state);
  });

  it('runs without a controlling terminal, so nothing can prompt on /dev/tty', async () => {
    const result = await run('sh', ['-c', 'if (: </dev/tty) 2>/dev/null; then echo has-tty; else echo no-tty; fi'], { env: { PATH: process.env.PATH! } });
    expect(result.stdout.trim()).toBe('no-tty');
  });

  it('lets a test wait for output and signal a running child', async () => {
    const started = start(node, ['-e', 'process.on("SIGTERM", () => process.exit(9)); console.log("ready"); setInterval(() => {}, 1000)'], {
      env: {},
    });
    await waitForOutput(started, 'ready');
    started.child.kill('SIGTERM');
    expect((await started.result).code).toBe(9);
  });
});

describe('in-process runner', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox({ passphrase: 'harness passphrase' });
    await box.writeConfig('[profile a]\nregion = eu-west-1\n');
  });
  afterAll(async () => {
    await box.remove();
  });

  // A usage error, output read from the config, an unknown profile, and a passphrase that no terminal can be asked
  // for (the binary has none; in-process, vault is told there is none).
  it.each([
    [['frob'], {}],
    [['list', '--json'], {}],
    [['export', 'nope'], { AWS_VAULT_FILE_PASSPHRASE: 'harness passphrase' }],
    [['exec', 'a', '--json'], {}],
  ])('answers %j exactly as the built binary does', async (args, extra) => {
    const env = { ...box.env, ...extra };
    expect(await runInProcess(args, { env })).toEqual(await runVault(args, { env }));
  });

  it("leaves the AWS SDK it loads none of the test process's AWS_* variables and no config file", () => {
    const aws = Object.entries(process.env).filter(([name]) => name.startsWith('AWS_'));
    expect(Object.fromEntries(aws)).toEqual({ AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
  });
});

describe('moto fixture', () => {
  let moto: SharedMoto;
  beforeAll(async () => {
    moto = await sharedMoto();
  });

  it('creates users, keys and roles in the default and in a second account', async () => {
    const setup = awsSetup(moto);
    const user = await setup.createUser('harness-user');
    expect(user.arn).toBe(`arn:aws:iam::${MOTO_ACCOUNT}:user/harness-user`);
    const keys = await setup.createAccessKey('harness-user');
    expect(keys.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(keys.secretAccessKey.length).toBe(40);

    expect(await setup.callerArn(keys)).toBe(user.arn);

    expect(await setup.createRole('harness-role')).toBe(`arn:aws:iam::${MOTO_ACCOUNT}:role/harness-role`);
    const other = await setup.createRole('harness-backup', { account: '987654321098' });
    expect(other).toBe('arn:aws:iam::987654321098:role/harness-backup');
    // The three AWS CLI runs (about a second of Python start each) depend on none of each other: side by side.
    const [who, defaultRoles, assumed] = await Promise.all([
      setup.aws(['sts', 'get-caller-identity'], keys),
      setup.aws(['iam', 'list-roles']),
      setup.aws(['sts', 'assume-role', '--role-arn', other, '--role-session-name', 'nightly'], keys),
    ]);
    expect(who.Arn).toBe(user.arn);
    // The role really lives in the second account, not in the default one.
    expect(defaultRoles.Roles.map((r: { RoleName: string }) => r.RoleName)).not.toContain('harness-backup');

    expect(assumed.AssumedRoleUser.Arn).toBe('arn:aws:sts::987654321098:assumed-role/harness-backup/nightly');
    // Temporary credentials too: the session token goes with the signed request.
    const { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken } = assumed.Credentials;
    expect(await setup.callerArn({ accessKeyId, secretAccessKey, sessionToken })).toBe(assumed.AssumedRoleUser.Arn);
  });

  it('hands each test file the same server reset to its start: nothing left over, recording only when asked', async () => {
    await awsSetup(moto).createUser('left-over');
    const recorded = await sharedMoto({ record: true });
    expect(recorded.url).toBe(moto.url);
    expect((await awsSetup(recorded).aws(['iam', 'list-users'])).Users).toEqual([]);
    expect((await recordedRequests(recorded.recording!)).map((r) => r.action)).toEqual(['ListUsers']);
    expect((await sharedMoto()).recording).toBeUndefined();
  });

  it('stops listening when stopped (a server of its own)', async () => {
    const extra = await startMoto();
    await extra.stop();
    await expect(fetch(`${extra.url}/moto-api/`)).rejects.toThrow();
  });

  it('hands out ports nothing listens on', async () => {
    const port = await freePort();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});

describe('moto with authentication', () => {
  it('checks signatures after the first authCount actions', async () => {
    const setup = awsSetup(await sharedMoto({ authCount: 3 }));
    await setup.createUser('signer');
    const keys = await setup.createAccessKey('signer');
    await setup.allowEverything('signer');
    await Promise.all([
      expect(setup.aws(['sts', 'get-caller-identity'], keys)).resolves.toMatchObject({ Arn: expect.stringMatching(/:user\/signer$/) }),
      expect(setup.aws(['sts', 'get-caller-identity'], { ...keys, secretAccessKey: 'x'.repeat(40) })).rejects.toThrow(/SignatureDoesNotMatch/),
    ]);
    // The direct requests are signed as the AWS CLI signs: the same key passes moto's checks, a wrong secret fails them.
    expect(await setup.accessKeyIds('signer', keys)).toEqual([keys.accessKeyId]);
    await expect(setup.accessKeyIds('signer', { ...keys, secretAccessKey: 'x'.repeat(40) })).rejects.toThrow(/SignatureDoesNotMatch/);
  });

  it('is off again for the next file', async () => {
    const setup = awsSetup(await sharedMoto());
    // The dummy keys no user owns: accepted only when nothing is checked.
    expect((await setup.aws(['sts', 'get-caller-identity'])).Account).toBe(MOTO_ACCOUNT);
  });
});

describe('tty', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
  });
  afterAll(async () => {
    await box.remove();
  });

  it('runs a command on a real terminal with the given env, reads the screen, types, and reports the status', async () => {
    const term = await tty(
      ['sh', '-c', '[ -t 0 ] && echo "on a tty, SECRET_VAR=$SECRET_VAR"; printf "name? "; read name; echo "hi $name"; exit 5'],
      { ...box.env, SECRET_VAR: 'from-the-script' },
    );
    try {
      await term.waitFor('on a tty, SECRET_VAR=from-the-script');
      await term.waitFor('name?');
      await term.type('Ada');
      await term.enter();
      await term.waitFor(/hi Ada/);
      expect(await term.exitCode()).toBe(5);
    } finally {
      await term.kill();
    }
  });

  it('keeps the environment out of command lines', async () => {
    const term = await tty(['sh', '-c', 'ps -eo args | grep -c "[f]rom-the-env-only"; true'], { ...box.env, HIDDEN: 'from-the-env-only' });
    try {
      expect(await term.exitCode()).toBe(0);
      expect((await term.screen()).trim().split('\n')[0]).toBe('0');
    } finally {
      await term.kill();
    }
  });

  it('fails waitFor with the screen it saw', async () => {
    const term = await tty(['echo', 'something else'], box.env);
    try {
      await expect(term.waitFor('never shown', 500)).rejects.toThrow(/something else/);
    } finally {
      await term.kill();
    }
  });
});
