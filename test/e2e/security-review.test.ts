// The findings of the security review (issue 15): what an attacker on the same machine, or a hostile file, could
// do before, and what vault does now. What vault prints and stores is checked in-process (support/in-process.ts);
// the built binary runs the unlock agent, the bounded read of a hostile file, and one instance of each refusal, for
// a real process's exit status and stderr.
import { jest } from '@jest/globals';
import { chown, readdir, stat } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { awsSetup, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { unlockInProcess } from './support/vault-state.js';
import { runVault } from './support/vault.js';

jest.setTimeout(120_000);

const PASSPHRASE = 'security review passphrase';

let moto: SharedMoto;
let box: Sandbox;
let first: Keys;
let second: Keys;

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('reviewer');
  [first, second] = await Promise.all([setup.createAccessKey('reviewer'), setup.createAccessKey('reviewer')]);
});
beforeEach(async () => {
  box = await sandbox({ passphrase: PASSPHRASE });
  await box.writeConfig('[profile dev]\n');
});
afterEach(async () => {
  await runInProcess(['lock'], { env: env() });
  await box.remove();
});

function env(extra: Env = {}): Env {
  return { ...box.env, AWS_ENDPOINT_URL: moto.url, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, ...extra };
}

function keyEnv(keys: Keys): Env {
  return env({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
}

describe('vault add --force', () => {
  it('drops every cached session made with the keys it replaces', async () => {
    expectSuccess(await runInProcess(['add', '--env', 'dev'], { env: keyEnv(first) }));
    expectSuccess(await runInProcess(['exec', 'dev', '--', 'true'], { env: env() }));
    const vault = await unlockInProcess(box.vaultFile, PASSPHRASE);
    expect(Object.values((await vault.read()).sessions).map((s) => s.profile)).toEqual(['dev']);

    expectSuccess(await runInProcess(['add', '--env', '--force', 'dev'], { env: keyEnv(second) }));
    const after = await vault.read();
    expect(after.credentials.dev?.accessKeyId).toBe(second.accessKeyId);
    expect(after.sessions).toEqual({});
  });
});

describe('bounded work from hostile input', () => {
  it('AWS_CONFIG_FILE=/dev/zero ends in one line within seconds', async () => {
    const started = Date.now();
    const result = await runVault(['exec', 'dev', '--', 'true'], { env: env({ AWS_CONFIG_FILE: '/dev/zero' }), timeoutMs: 20_000 });
    expectOneLineError(result, /^vault: cannot read \/dev\/zero: it is larger than 16 MiB/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

// Needs root to give the vault directory to another user; the ownership rule itself is unit-tested in core.
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
asRoot('another user running vault on a vault it does not own (root with sudo keeping HOME)', () => {
  it('refuses with one line naming the owner, and leaves nothing of its own behind', async () => {
    expectSuccess(await runInProcess(['add', '--env', 'dev'], { env: keyEnv(first) }));
    const nobody = 65534;
    for (const path of [box.vaultDir, box.vaultFile]) await chown(path, nobody, nobody);
    const commands = [['exec', 'dev', '--no-session', '--', 'true'], ['add', '--env', '--force', 'dev'], ['list'], ['unlock']];
    // Each command in-process, which runs as the test's uid; exec through the binary as well.
    const results = [await runVault(commands[0]!, { env: keyEnv(second) })];
    for (const args of commands) results.push(await runInProcess(args, { env: keyEnv(second) }));
    for (const result of results) {
      expectOneLineError(result, /^vault: refusing to use \S+: the vault directory belongs to uid 65534, not to uid 0 running vault; run vault as the user who owns it \(not with sudo\)/);
    }
    expect(await readdir(box.vaultDir)).toEqual(['vault']);
    expect((await stat(join(box.vaultDir, 'vault'))).uid).toBe(nobody);
  });
});

/** One raw protocol line, as any process of the user could send; the reply's text ('' when none). */
function agentExchange(request: object): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const conn = createConnection({ path: join(box.vaultDir, 'agent.sock') });
    conn.on('connect', () => conn.write(`${JSON.stringify(request)}\n`));
    conn.on('data', (d) => (text += d));
    conn.on('end', () => resolve(text));
    conn.on('error', () => resolve(text));
  });
}

describe('the unlock agent', () => {
  /** No passphrase anywhere and no terminal: only the agent can open the vault. */
  function agentOnly(extra: Env = {}): Env {
    const { AWS_VAULT_FILE_PASSPHRASE: _, ...rest } = env(extra);
    return rest;
  }

  // The agent is a process of its own, started by a real `vault unlock`; most of its clients run in-process, one
  // through the binary.
  beforeEach(async () => {
    expectSuccess(await runInProcess(['add', '--env', 'dev'], { env: keyEnv(first) }));
    expectSuccess(await runVault(['unlock'], { env: env() }));
  });

  it('never hands out the vault key, yet commands that change the vault work through it', async () => {
    const { key } = await unlockInProcess(box.vaultFile, PASSPHRASE);
    const forms = [Buffer.from(key.key).toString('base64'), Buffer.from(key.key).toString('hex')];
    const replies = await Promise.all(['key', 'status', 'read', 'dump'].map((op) => agentExchange({ op })));
    for (const reply of replies) for (const form of forms) expect(reply).not.toContain(form);
    expect(JSON.parse(replies[0]!)).toMatchObject({ ok: false });

    expectSuccess(await runVault(['exec', 'dev', '--', 'true'], { env: agentOnly() }));
    const vault = await unlockInProcess(box.vaultFile, PASSPHRASE);
    expect(Object.keys((await vault.read()).sessions)).toHaveLength(1);
    expectSuccess(
      await runInProcess(['add', '--env', '--force', 'dev'], {
        env: agentOnly({ AWS_ACCESS_KEY_ID: second.accessKeyId, AWS_SECRET_ACCESS_KEY: second.secretAccessKey }),
      }),
    );
    expect(await vault.read()).toMatchObject({ credentials: { dev: { accessKeyId: second.accessKeyId } }, sessions: {} });
    expectSuccess(await runInProcess(['exec', 'dev', '--', 'true'], { env: agentOnly() }));
    expectSuccess(await runInProcess(['clear'], { env: agentOnly() }));
    expect((await vault.read()).sessions).toEqual({});
    expectSuccess(await runInProcess(['remove', '--force', 'dev'], { env: agentOnly() }));
    expect((await vault.read()).credentials).toEqual({});
  });

  it('does not let `vault passphrase` change the passphrase without the current one', async () => {
    const refused = await runVault(['passphrase'], { env: agentOnly({ AWS_VAULT_NEW_PASSPHRASE: 'taken over' }) });
    expectOneLineError(refused, /^vault: the vault passphrase is needed but there is no terminal to ask on/);
    await unlockInProcess(box.vaultFile, PASSPHRASE);

    expectSuccess(await runInProcess(['passphrase'], { env: env({ AWS_VAULT_NEW_PASSPHRASE: 'the owner chose this' }) }));
    await unlockInProcess(box.vaultFile, 'the owner chose this');
  });
});
