import { jest } from '@jest/globals';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { runInProcess } from './support/in-process.js';
import { vaultBin } from './support/paths.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { tty } from './support/tty.js';
import { runVault } from './support/vault.js';

// add, list, remove and passphrase. What they answer and store runs in-process (support/in-process.ts); through the
// built binary run the prompts on a real terminal and vault creating a vault at the real key derivation cost, the
// file modes it sets included.

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'correct horse battery staple';
// Distinctive, so finding it in the vault directory can only mean it was written in the clear.
const PROFILE = 'zebra-e2e-profile';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox({ passphrase: PASSPHRASE });
});

/** Swaps the test's sandbox for one without a vault, for the tests of the CLI creating it (at its real KDF cost). */
async function withoutVault(): Promise<void> {
  await box.remove();
  box = await sandbox();
}
afterEach(async () => {
  await box.remove();
});

function env(extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, ...extra };
}

async function addFromEnv(profile: string, keys = fakeKeys(), extra: Env = {}, run = runInProcess) {
  const result = await run(['add', '--env', profile], {
    env: env({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey, ...extra }),
  });
  expectSuccess(result);
  return keys;
}

interface Listed {
  profile: string;
  inConfig: boolean;
  credentials: boolean | null;
}

async function listJson(extra: Env = {}): Promise<Listed[]> {
  const result = await runInProcess(['list', '--json'], { env: env(extra) });
  expectSuccess(result);
  return JSON.parse(result.stdout) as Listed[];
}

describe('vault add / list', () => {
  it('stores keys from the environment and lists them, as a table and as JSON', async () => {
    const keys = await addFromEnv(PROFILE);

    const table = await runInProcess(['list'], { env: env() });
    expectSuccess(table);
    const row = table.stdout.split('\n').find((line) => line.startsWith(PROFILE));
    expect(row).toMatch(/stored/);
    expect(table.stdout).not.toContain(keys.secretAccessKey);

    expect(await listJson()).toEqual([expect.objectContaining({ profile: PROFILE, credentials: true })]);
  });

  it('creates the vault directory 0700 and the vault file 0600 at AWS_VAULT_FILE_DIR/vault', async () => {
    await withoutVault();
    await addFromEnv(PROFILE, fakeKeys(), {}, runVault);
    expect((await stat(box.vaultDir)).mode & 0o777).toBe(0o700);
    expect((await stat(box.vaultFile)).mode & 0o777).toBe(0o600);
  });

  it('leaves nothing readable in the vault directory: no secret, no key id, no profile name', async () => {
    const keys = await addFromEnv(PROFILE);
    await addFromEnv('second-e2e-profile');
    const needles = [keys.secretAccessKey, keys.accessKeyId, PROFILE, 'second-e2e-profile'];
    const forms = (s: string) => [
      Buffer.from(s, 'utf8'),
      Buffer.from(s, 'utf16le'),
      Buffer.from(Buffer.from(s).toString('base64').replace(/=+$/, '')),
      Buffer.from(Buffer.from(s).toString('hex')),
    ];
    const files = await filesUnder(box.vaultDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file).not.toContain(PROFILE);
      const bytes = await readFile(file);
      for (const needle of needles) {
        for (const form of forms(needle)) {
          expect({ file, needle, found: bytes.includes(form) }).toEqual({ file, needle, found: false });
        }
      }
    }
  });

  it('refuses to replace stored keys without --force when it cannot ask, and replaces them with it', async () => {
    await addFromEnv(PROFILE);
    const again = fakeKeys();
    const refused = await runInProcess(['add', '--env', PROFILE], {
      env: env({ AWS_ACCESS_KEY_ID: again.accessKeyId, AWS_SECRET_ACCESS_KEY: again.secretAccessKey }),
    });
    expectOneLineError(refused, /--force/);
    expect(refused.stderr).not.toContain(again.secretAccessKey);

    const forced = await runInProcess(['add', '--env', '--force', PROFILE], {
      env: env({ AWS_ACCESS_KEY_ID: again.accessKeyId, AWS_SECRET_ACCESS_KEY: again.secretAccessKey }),
    });
    expectSuccess(forced);
  });

  it('rejects a key id with a blank inside, and keeps one of another store (LocalStack\'s `test`) with a line saying so', async () => {
    const result = await runInProcess(['add', '--env', PROFILE], {
      env: env({ AWS_ACCESS_KEY_ID: 'AKIA IOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) }),
    });
    expectOneLineError(result, /access key id/i);
    expect(result.stderr).not.toContain('x'.repeat(40));
    const other = await runInProcess(['add', '--env', '--no-add-config', 'localstack'], { env: env({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }) });
    expectSuccess(other);
    expect(other.stderr).toContain('The access key id does not look like an AWS one (AKIA…): stored as given');
    const exported = await runInProcess(['export', 'localstack', '--no-session', '--format', 'env'], { env: env() });
    expectSuccess(exported);
    expect(exported.stdout).toContain('AWS_ACCESS_KEY_ID=test\n');
  });

  it('refuses a temporary session (ASIA… id, or AWS_SESSION_TOKEN set), which would stop working when it ends', async () => {
    const secret = 'y'.repeat(40);
    const session = await runInProcess(['add', '--env', 'temp'], {
      env: env({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: 'token' }),
    });
    expectOneLineError(session, /AWS_SESSION_TOKEN is set: .*--no-session/);
    const asia = await runInProcess(['add', '--env', 'temp'], { env: env({ AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: secret }) });
    expectOneLineError(asia, /^vault: ASIAIOSF… is the key id of a temporary session/);
    for (const result of [session, asia]) expect(result.stderr).not.toContain(secret);
    const list = await runInProcess(['list', '--credentials'], { env: env() });
    expect(list.stdout).not.toContain('temp');
  });

  it('works with the default (slow) key derivation too', async () => {
    const slow = await sandbox();
    try {
      const keys = fakeKeys();
      const base = { ...slow.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE };
      expectSuccess(await runVault(['add', '--env', PROFILE], {
        env: { ...base, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
      }));
      const listed = await runVault(['list', '--json'], { env: base });
      expectSuccess(listed);
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ profile: PROFILE, credentials: true })]);
    } finally {
      await slow.remove();
    }
  });

  it('lists config profiles without the passphrase when it cannot ask for one', async () => {
    await addFromEnv(PROFILE);
    await box.writeConfig('[profile only-in-config]\nregion = eu-west-1\n');
    const result = await runInProcess(['list'], { env: box.env });
    expectSuccess(result);
    expect(result.stdout).toContain('only-in-config');
  });
});

describe('vault add on a terminal', () => {
  it('asks for the keys and a new passphrase twice, without showing the secret', async () => {
    await withoutVault();
    const keys = fakeKeys();
    const term = await tty([process.execPath, vaultBin, 'add', PROFILE], box.env);
    try {
      await term.waitFor('Access Key ID:');
      await term.type(keys.accessKeyId);
      await term.enter();
      await term.waitFor('Secret Access Key:');
      await term.type(keys.secretAccessKey);
      await term.enter();
      await term.waitFor('New vault passphrase:');
      await term.type(PASSPHRASE);
      await term.enter();
      await term.waitFor('Confirm vault passphrase:');
      await term.type(PASSPHRASE);
      await term.enter();
      const status = await term.exitCode();
      const screen = await term.screen();
      expect({ status, screen }).toEqual({ status: 0, screen });
      expect(screen).toContain(keys.accessKeyId);
      expect(screen).not.toContain(keys.secretAccessKey);
      expect(screen).not.toContain(PASSPHRASE);
    } finally {
      await term.kill();
    }
    expect(await listJson()).toEqual([expect.objectContaining({ profile: PROFILE, credentials: true })]);
  });

  it('asks for the existing passphrase once when the vault exists', async () => {
    await addFromEnv('first');
    const keys = fakeKeys();
    const term = await tty([process.execPath, vaultBin, 'add', 'second'], box.env);
    try {
      await term.waitFor('Access Key ID:');
      await term.type(keys.accessKeyId);
      await term.enter();
      await term.waitFor('Secret Access Key:');
      await term.type(keys.secretAccessKey);
      await term.enter();
      await term.waitFor('Vault passphrase:');
      await term.type(PASSPHRASE);
      await term.enter();
      const status = await term.exitCode();
      const screen = await term.screen();
      expect({ status, screen }).toEqual({ status: 0, screen });
      expect(screen).not.toContain('New vault passphrase:');
      expect(screen).not.toContain(PASSPHRASE);
    } finally {
      await term.kill();
    }
    expect((await listJson()).map((p) => p.profile)).toEqual(['first', 'second']);
  });
});

describe('vault remove', () => {
  it('deletes the stored keys with --force', async () => {
    await addFromEnv(PROFILE);
    await addFromEnv('kept');
    expectSuccess(await runInProcess(['remove', PROFILE, '--force'], { env: env() }));
    // The [profile] section `add` wrote stays in the config file (as with aws-vault); only the keys go.
    expect(await listJson()).toEqual([
      expect.objectContaining({ profile: 'kept', credentials: true }),
      expect.objectContaining({ profile: PROFILE, inConfig: true, credentials: false }),
    ]);
  });
});

describe('passphrases', () => {
  it('refuses a wrong passphrase with one line naming the passphrase', async () => {
    await addFromEnv(PROFILE);
    const result = await runInProcess(['list'], { env: env({ AWS_VAULT_FILE_PASSPHRASE: 'not the passphrase' }) });
    expectOneLineError(result, /passphrase/i);
    expect(result.stderr).not.toContain('not the passphrase');
    // Set but empty is said as such, not as a wrong passphrase (whose fix is restoring the file from a backup).
    expectOneLineError(await runInProcess(['list', '--credentials'], { env: env({ AWS_VAULT_FILE_PASSPHRASE: '' }) }), /^vault: AWS_VAULT_FILE_PASSPHRASE is set but empty/);
  });

  it('changes the passphrase from AWS_VAULT_NEW_PASSPHRASE: the old one stops working, the new one works', async () => {
    await addFromEnv(PROFILE);
    const changed = await runInProcess(['passphrase'], { env: env({ AWS_VAULT_NEW_PASSPHRASE: 'a brand new passphrase' }) });
    expectSuccess(changed);

    expectOneLineError(await runInProcess(['list'], { env: env() }), /passphrase/i);
    expect(await listJson({ AWS_VAULT_FILE_PASSPHRASE: 'a brand new passphrase' })).toEqual([
      expect.objectContaining({ profile: PROFILE, credentials: true }),
    ]);
  });

  it('reports a corrupted vault file differently from a wrong passphrase', async () => {
    await addFromEnv(PROFILE);
    await addFromEnv('another-profile-to-grow-the-file');
    const wrong = expectOneLineError(await runInProcess(['list'], { env: env({ AWS_VAULT_FILE_PASSPHRASE: 'wrong' }) }));

    const bytes = await readFile(box.vaultFile);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0x01;
    await writeFile(box.vaultFile, bytes);

    const corrupted = expectOneLineError(await runInProcess(['list'], { env: env() }));
    expect(corrupted).not.toEqual(wrong);
    expect(corrupted).not.toMatch(/wrong passphrase/i);
  });
});

describe('command line', () => {
  it('answers an unknown command with a usage error', async () => {
    expectOneLineError(await runInProcess(['frobnicate'], { env: env() }), undefined, 2);
  });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve(e.isFile() ? [join(dir, e.name)] : []))),
  );
  return nested.flat();
}
