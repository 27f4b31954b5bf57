import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  VaultCorruptError,
  VaultTooNewError,
  VaultError,
  VaultExistsError,
  VaultKeyStaleError,
  VaultLockedError,
  VaultNotFoundError,
  VaultPermissionError,
  WrongPassphraseError,
} from './errors.js';
import { KDF_PRESETS } from './kdf.js';
import { getCredentials, listProfiles, putCredentials } from './payload.js';
import { encodePayload, sealPlaintext } from './seal.js';
import { loadSodium } from './sodium.js';
import type { KdfParams, VaultKey } from './types.js';
import { checkFileStats, MAX_VAULT_FILE_BYTES } from './private-file.js';
import { vaultDir, vaultFilePath, VaultFile, wipeKey } from './vault.js';

// Argon2id's minimum cost keeps the byte-by-byte loops fast; one test below checks the real default.
const FAST: KdfParams = { alg: 'argon2id13', opslimit: 1, memlimit: 8192 };
const PASS = 'correct horse battery staple';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
const CREDS = { accessKeyId: 'A', secretAccessKey: 'B', addedAt: 'C' };
// Offsets from docs/security.md.
const SALT_AT = 14;
const NONCE_AT = 62;
const CHECKSUM_AT = 86;
const HEADER_BYTES = 102;

let root: string;
let count = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vault-core-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function freshPath(): string {
  return join(root, `case-${count++}`, 'vault');
}

async function newVault(profiles: string[] = ['dev']): Promise<{ file: VaultFile; key: VaultKey }> {
  const file = new VaultFile(freshPath());
  const key = await file.create(PASS, FAST);
  await file.update(key, (d) =>
    profiles.reduce(
      (acc, p) => putCredentials(acc, p, { accessKeyId: `AKIA${p}`, secretAccessKey: SECRET, addedAt: 'now' }),
      d,
    ),
  );
  return { file, key };
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'returned';
  } catch (err) {
    return err instanceof VaultError ? err.code : `other: ${String(err)}`;
  }
}

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('vaultDir / vaultFilePath', () => {
  it('uses AWS_VAULT_FILE_DIR, else ~/.awsvault, and a name that says nothing', () => {
    expect(vaultDir({ AWS_VAULT_FILE_DIR: '/x/y' }, '/home/u')).toBe('/x/y');
    expect(vaultDir({}, '/home/u')).toBe('/home/u/.awsvault');
    expect(vaultDir({ AWS_VAULT_FILE_DIR: '' }, '/home/u')).toBe('/home/u/.awsvault');
    expect(vaultFilePath('/x/y')).toBe('/x/y/vault');
  });
});

describe('create, unlock, read, update', () => {
  it('round-trips credentials through a new process-independent handle', async () => {
    const { file } = await newVault(['dev', 'prod']);
    const again = new VaultFile(file.path);
    const key = await again.unlock(PASS);
    const data = await again.read(key);
    expect(listProfiles(data)).toEqual(['dev', 'prod']);
    expect(getCredentials(data, 'prod')).toEqual({ accessKeyId: 'AKIAprod', secretAccessKey: SECRET, addedAt: 'now' });
  });

  it('creates the directory 0700 and the file 0600, and no stray files', async () => {
    const { file } = await newVault();
    expect(await mode(file.path)).toBe(0o600);
    expect(await mode(dirname(file.path))).toBe(0o700);
    expect(await readdir(dirname(file.path))).toEqual(['vault']);
  });

  it('keeps no readable trace of profile names or keys in the file', async () => {
    const { file } = await newVault(['very-secret-profile-name']);
    const text = (await readFile(file.path)).toString('latin1');
    for (const needle of ['very-secret-profile-name', 'AKIA', SECRET]) expect(text).not.toContain(needle);
  });

  it('uses the interactive preset (64 MiB) by default', async () => {
    const file = new VaultFile(freshPath());
    const key = await file.create(PASS);
    expect(key.info.kdf).toEqual(KDF_PRESETS.interactive);
    expect((await file.readKeyInfo()).kdf).toEqual({ alg: 'argon2id13', opslimit: 2, memlimit: 64 * 1024 * 1024 });
  });

  it('reads the KDF parameters from the header', async () => {
    const kdf: KdfParams = { alg: 'argon2id13', opslimit: 3, memlimit: 16 * 1024 };
    const path = freshPath();
    const created = await new VaultFile(path).create(PASS, kdf);
    const file = new VaultFile(path);
    expect((await file.readKeyInfo()).kdf).toEqual(kdf);
    const key = await file.unlock(PASS);
    expect(key.info.kdf).toEqual(kdf);
    expect(key.key).toEqual(created.key);
    expect(await file.read(key)).toEqual({ version: 1, credentials: {}, sessions: {} });
  });

  it('readSealed: one read gives the KDF parameters, the key and the contents, whatever happens to the file after', async () => {
    const { file } = await newVault(['dev']);
    const sealed = await file.readSealed();
    // Gone after the read: everything below comes from the bytes read once.
    await rm(file.path);
    expect(sealed.info.kdf).toEqual(FAST);
    await expect(sealed.unlock('not it')).rejects.toBeInstanceOf(WrongPassphraseError);
    const key = await sealed.unlock(PASS);
    expect(listProfiles(sealed.open(key))).toEqual(['dev']);
  });

  it('refuses to create over an existing vault or anything else at the path', async () => {
    const { file } = await newVault();
    await expect(file.create(PASS, FAST)).rejects.toBeInstanceOf(VaultExistsError);
    const dirPath = freshPath();
    await mkdir(dirPath, { recursive: true });
    await expect(new VaultFile(dirPath).create(PASS, FAST)).rejects.toBeInstanceOf(VaultExistsError);
  });

  it('refuses KDF parameters it would later reject as corrupt', async () => {
    const file = new VaultFile(freshPath());
    await expect(file.create(PASS, { alg: 'argon2id13', opslimit: 1, memlimit: 1024 })).rejects.toThrow(RangeError);
    expect(await file.exists()).toBe(false);
  });

  it('reports a missing vault as not found', async () => {
    const file = new VaultFile(freshPath());
    await mkdir(dirname(file.path), { mode: 0o700 });
    expect(await file.exists()).toBe(false);
    const key = { key: new Uint8Array(32), info: { kdf: FAST, salt: new Uint8Array(16) } };
    await expect(file.unlock(PASS)).rejects.toBeInstanceOf(VaultNotFoundError);
    expect(await outcome(file.readKeyInfo())).toBe('VAULT_NOT_FOUND');
    expect(await outcome(file.read(key))).toBe('VAULT_NOT_FOUND');
    expect(await outcome(file.update(key, (d) => d))).toBe('VAULT_NOT_FOUND');
    await expect(file.readKeyInfo()).rejects.toMatchObject({ path: file.path });
  });

  it('seals every save under a fresh nonce but keeps the salt', async () => {
    const { file, key } = await newVault();
    const before = await readFile(file.path);
    await file.update(key, (d) => d);
    const after = await readFile(file.path);
    expect(after.subarray(SALT_AT, SALT_AT + 16)).toEqual(before.subarray(SALT_AT, SALT_AT + 16));
    expect(after.subarray(NONCE_AT, NONCE_AT + 24)).not.toEqual(before.subarray(NONCE_AT, NONCE_AT + 24));
    expect(after.subarray(HEADER_BYTES)).not.toEqual(before.subarray(HEADER_BYTES));
  });

  it('pads the payload so a few more profiles do not change the file size', async () => {
    const one = await newVault(['a']);
    const three = await newVault(['a', 'bb', 'ccc']);
    const size = (await stat(one.file.path)).size;
    expect((await stat(three.file.path)).size).toBe(size);
    expect((size - HEADER_BYTES - 16) % 512).toBe(0);
  });

  it('applies async update functions and returns what it wrote', async () => {
    const { file, key } = await newVault([]);
    const written = await file.update(key, async (d) => putCredentials(d, 'x', CREDS));
    expect(await file.read(key)).toEqual(written);
    expect(listProfiles(written)).toEqual(['x']);
  });

  it('refuses to write a malformed payload and leaves the file alone', async () => {
    const { file, key } = await newVault();
    const before = await readFile(file.path);
    await expect(file.update(key, () => ({ version: 2 }) as never)).rejects.toThrow(TypeError);
    expect(await readFile(file.path)).toEqual(before);
  });

  it('wipeKey zeroes the key bytes', async () => {
    const { key } = await newVault([]);
    expect(key.key.some((b) => b !== 0)).toBe(true);
    wipeKey(key);
    expect(key.key.every((b) => b === 0)).toBe(true);
  });
});

describe('wrong passphrase versus damage', () => {
  it('says wrong passphrase, naming the file and not the passphrase', async () => {
    const { file } = await newVault();
    const err = await file.unlock('not it').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongPassphraseError);
    expect(err).toMatchObject({ code: 'WRONG_PASSPHRASE', path: file.path });
    expect((err as Error).message).toContain(file.path);
    expect((err as Error).message).not.toContain('not it');
  });

  it('refuses a file larger than any vault without reading it', async () => {
    const { file, key } = await newVault();
    // Sparse: the file system holds none of these bytes, and a read of them would take seconds and a gigabyte.
    await truncate(file.path, MAX_VAULT_FILE_BYTES + 1);
    const err = await file.read(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultCorruptError);
    expect((err as Error).message).toContain(`it is ${MAX_VAULT_FILE_BYTES + 1} bytes, and no vault is larger than 64 MiB`);
  });

  it('reports every single flipped byte as corruption, never as data or another error', async () => {
    const { file, key } = await newVault(['dev', 'prod']);
    const good = await readFile(file.path);
    const victim = new VaultFile(freshPath());
    await mkdir(dirname(victim.path), { mode: 0o700 });
    const wrong: string[] = [];
    for (let i = 0; i < good.length; i++) {
      for (const mask of [0x01, 0xff]) {
        const bad = Buffer.from(good);
        bad[i] = (bad[i] as number) ^ mask;
        await writeFile(victim.path, bad, { mode: 0o600 });
        const viaUnlock = await outcome(victim.unlock(PASS).then((k) => victim.read(k)));
        const viaKey = await outcome(victim.read(key));
        if (viaUnlock !== 'VAULT_CORRUPT' || viaKey !== 'VAULT_CORRUPT') {
          wrong.push(`byte ${i}^${mask}: ${viaUnlock} / ${viaKey}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reports a file cut at any length as corrupt', async () => {
    const { file, key } = await newVault();
    const good = await readFile(file.path);
    const wrong: string[] = [];
    for (let len = 0; len < good.length; len++) {
      await writeFile(file.path, good.subarray(0, len));
      const viaUnlock = await outcome(file.unlock(PASS));
      const viaKey = await outcome(file.read(key));
      if (viaUnlock !== 'VAULT_CORRUPT' || viaKey !== 'VAULT_CORRUPT') wrong.push(`${len}: ${viaUnlock} / ${viaKey}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['an empty file', () => Buffer.alloc(0), /empty/],
    ['random bytes', () => Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 251)), /not a vault file/],
    ['a text file', () => Buffer.from('[default]\naws_access_key_id = AKIA\n'), /not a vault file/],
    ['an impossible format version', (good: Buffer) => Buffer.concat([good.subarray(0, 4), Buffer.from([254]), good.subarray(5)]), /unsupported format version 254/],
    ['one byte appended', (good: Buffer) => Buffer.concat([good, Buffer.from([0])]), /appended/],
    ['a whole block appended', (good: Buffer) => Buffer.concat([good, Buffer.alloc(512, 0x20)]), /authentication/],
    [
      'the ciphertext of another save',
      (good: Buffer, other: Buffer) => Buffer.concat([good.subarray(0, HEADER_BYTES), other.subarray(HEADER_BYTES)]),
      /authentication/,
    ],
  ])('reports %s as corrupt with a reason', async (_, make, reason) => {
    const { file, key } = await newVault();
    const good = await readFile(file.path);
    await file.update(key, (d) => d);
    const other = await readFile(file.path);
    await writeFile(file.path, make(good, other));
    const err = await file.unlock(PASS).then((k) => file.read(k)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultCorruptError);
    expect((err as VaultCorruptError).path).toBe(file.path);
    expect((err as Error).message).toMatch(reason);
  });

  it("says a file of a later format version was written by a newer vault, not that it is damaged", async () => {
    const { file } = await newVault();
    const good = await readFile(file.path);
    const future = Buffer.concat([good.subarray(0, 4), Buffer.from([2]), good.subarray(5)]);
    // As a later vault would write it: its header checksum (over the version byte too) holds.
    const sodium = await loadSodium();
    future.set(sodium.crypto_generichash(16, future.subarray(0, CHECKSUM_AT), null), CHECKSUM_AT);
    await writeFile(file.path, future);
    const err = await file.unlock(PASS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultTooNewError);
    expect((err as Error).message).toBe(`vault file ${file.path} was written by a newer vault (format version 2; this one reads version 1)`);
  });

  it('refuses absurd KDF parameters in a well-formed header without deriving', async () => {
    const sodium = await loadSodium();
    const { file } = await newVault();
    const good = await readFile(file.path);
    for (const [at, value] of [
      [6, 1000],
      [10, 0xffffffff],
      [10, 1024],
    ] as const) {
      const bad = Buffer.from(good);
      bad.writeUInt32BE(value, at);
      bad.set(sodium.crypto_generichash(16, bad.subarray(0, CHECKSUM_AT), null), CHECKSUM_AT);
      await writeFile(file.path, bad);
      const started = Date.now();
      await expect(file.unlock(PASS)).rejects.toThrow(/outside/);
      await expect(file.readKeyInfo()).rejects.toBeInstanceOf(VaultCorruptError);
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });

  it.each([
    ['JSON cut short', `{"version":1,"credentials":{"p":{"secretAccessKey":"${SECRET}"`],
    ['JSON of the wrong shape', `{"version":1,"credentials":{"p":{"secretAccessKey":"${SECRET}"}},"sessions":{}}`],
    ['invalid UTF-8', Buffer.concat([Buffer.from(`{"s":"${SECRET}`), Buffer.from([0xff, 0xfe])])],
  ])('reports a sealed payload with %s as corrupt without quoting it', async (_, plaintext) => {
    const sodium = await loadSodium();
    const { file, key } = await newVault();
    await writeFile(file.path, sealPlaintext(sodium, Buffer.from(plaintext), key));
    const err = await file.read(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultCorruptError);
    expect((err as Error).message).not.toContain(SECRET.slice(0, 8));
  });

  it('opens a payload sealed without padding (padding is not required to read)', async () => {
    const sodium = await loadSodium();
    const { file, key } = await newVault([]);
    const plaintext = Buffer.from(JSON.stringify({ version: 1, credentials: {}, sessions: {} }));
    const padded = Buffer.concat([plaintext, Buffer.alloc(512 - plaintext.length, 0x20)]);
    await writeFile(file.path, sealPlaintext(sodium, padded, key));
    expect(await file.read(key)).toEqual({ version: 1, credentials: {}, sessions: {} });
    expect(encodePayload({ version: 1, credentials: {}, sessions: {} })).toHaveLength(512);
  });
});

describe('changePassphrase', () => {
  it('re-seals with a new salt: the old passphrase and key stop working, the new one opens the same data', async () => {
    const { file, key } = await newVault(['dev']);
    const oldSalt = (await file.readKeyInfo()).salt;
    const newKey = await file.changePassphrase(key, 'new passphrase');
    const info = await file.readKeyInfo();
    expect(Buffer.from(info.salt)).not.toEqual(Buffer.from(oldSalt));
    expect(info.kdf).toEqual(FAST);
    expect(Buffer.from(newKey.info.salt)).toEqual(Buffer.from(info.salt));
    expect(await outcome(file.unlock(PASS))).toBe('WRONG_PASSPHRASE');
    expect(await outcome(file.read(key))).toBe('VAULT_KEY_STALE');
    expect(await outcome(file.update(key, (d) => d))).toBe('VAULT_KEY_STALE');
    const reopened = await file.unlock('new passphrase');
    expect(listProfiles(await file.read(reopened))).toEqual(['dev']);
  });

  it('can raise the KDF parameters at the same time', async () => {
    const { file, key } = await newVault();
    const stronger: KdfParams = { alg: 'argon2id13', opslimit: 2, memlimit: 64 * 1024 };
    await file.changePassphrase(key, PASS, stronger);
    expect((await file.readKeyInfo()).kdf).toEqual(stronger);
    expect((await file.unlock(PASS)).info.kdf).toEqual(stronger);
  });

  it('names the stale key error after the file', async () => {
    const { file, key } = await newVault();
    await file.changePassphrase(key, 'other');
    await expect(file.read(key)).rejects.toBeInstanceOf(VaultKeyStaleError);
    await expect(file.read(key)).rejects.toMatchObject({ path: file.path });
  });
});

describe('permissions', () => {
  it.each([0o644, 0o640, 0o604, 0o660])('refuses a vault file with mode %o, saying how to fix it', async (m) => {
    const { file, key } = await newVault();
    await chmod(file.path, m);
    const err = await file.read(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultPermissionError);
    expect((err as Error).message).toContain(`chmod 600 ${file.path}`);
    expect(await outcome(file.unlock(PASS))).toBe('VAULT_PERMISSIONS');
    expect(await outcome(file.update(key, (d) => d))).toBe('VAULT_PERMISSIONS');
  });

  it('refuses a symlink, even to a good vault', async () => {
    const { file } = await newVault();
    const link = join(dirname(file.path), 'link');
    await symlink(file.path, link);
    const err = await new VaultFile(link).unlock(PASS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultPermissionError);
    expect(err).toMatchObject({ path: link });
    expect((err as Error).message).toMatch(/symlink/);
  });

  it('refuses a directory and a FIFO', async () => {
    const dirVault = new VaultFile(freshPath());
    await mkdir(dirVault.path, { recursive: true, mode: 0o700 });
    await expect(dirVault.unlock(PASS)).rejects.toThrow(/directory/);
    const fifo = new VaultFile(freshPath());
    await mkdir(dirname(fifo.path), { mode: 0o700 });
    execFileSync('mkfifo', ['-m', '600', fifo.path]);
    await expect(fifo.unlock(PASS)).rejects.toThrow(/not a regular file/);
  });

  it('refuses a directory other users can write to, but accepts one they can only read', async () => {
    const { file } = await newVault();
    const dir = dirname(file.path);
    await chmod(dir, 0o755);
    await expect(file.unlock(PASS)).resolves.toBeDefined();
    await chmod(dir, 0o775);
    const err = await file.unlock(PASS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultPermissionError);
    expect((err as Error).message).toContain(`chmod 700 ${dir}`);
    await expect(new VaultFile(join(dir, 'second')).create(PASS, FAST)).rejects.toBeInstanceOf(VaultPermissionError);
  });
});

describe('ownership', () => {
  const me = process.geteuid!();
  const someoneElse = me + 1;

  it('refuses a vault directory of another user (root with sudo on a user\'s vault), before reading or writing', async () => {
    const { file, key } = await newVault();
    const dir = dirname(file.path);
    const before = await readFile(file.path);
    const asOther = new VaultFile(file.path, { uid: someoneElse });
    const message = `refusing to use ${dir}: the vault directory belongs to uid ${me}, not to uid ${someoneElse} running vault; run vault as the user who owns it (not with sudo)`;
    for (const attempt of [() => asOther.unlock(PASS), () => asOther.read(key), () => asOther.update(key, (d) => d), () => asOther.readKeyInfo()]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VaultPermissionError);
      expect((err as Error).message).toBe(message);
    }
    await expect(new VaultFile(join(dir, 'second'), { uid: someoneElse }).create(PASS, FAST)).rejects.toThrow(message);
    expect(await readFile(file.path)).toEqual(before);
    expect(await readdir(dir)).toEqual(['vault']);
  });

  it('refuses a vault file of another user in a directory of ours', async () => {
    const { file } = await newVault();
    const st = await stat(file.path);
    expect(() => checkFileStats(file.path, st, st.uid)).not.toThrow();
    expect(() => checkFileStats(file.path, st, st.uid + 1)).toThrow(
      `refusing to use ${file.path}: it belongs to uid ${st.uid}, not to uid ${st.uid + 1} running vault; run vault as the user who owns it (not with sudo)`,
    );
  });
});

describe('locking and temp files', () => {
  it('gives up with VaultLockedError while another writer holds the lock, then proceeds', async () => {
    const { file, key } = await newVault();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = file.update(key, async (d) => {
      entered();
      await held;
      return putCredentials(d, 'first', CREDS);
    });
    await inside;
    const impatient = new VaultFile(file.path, { lockTimeoutMs: 300 });
    const err = await impatient.update(key, (d) => d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultLockedError);
    expect(err).toMatchObject({ code: 'VAULT_LOCKED', path: file.path });
    const patient = new VaultFile(file.path).update(key, (d) =>
      putCredentials(d, 'second', CREDS),
    );
    release();
    await first;
    expect(listProfiles(await patient)).toEqual(['dev', 'first', 'second']);
  });

  it('removes temp files a killed writer left behind once they are a minute old', async () => {
    const { file, key } = await newVault();
    const dir = dirname(file.path);
    const old = join(dir, 'vault.0123456789abcdef.tmp');
    const recent = join(dir, 'vault.fedcba9876543210.tmp');
    const unrelated = join(dir, 'notes.0123456789abcdef.tmp');
    for (const p of [old, recent, unrelated]) await writeFile(p, 'x', { mode: 0o600 });
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(old, twoMinutesAgo, twoMinutesAgo);
    await utimes(unrelated, twoMinutesAgo, twoMinutesAgo);
    await file.update(key, (d) => d);
    expect((await readdir(dir)).sort()).toEqual(['notes.0123456789abcdef.tmp', 'vault', 'vault.fedcba9876543210.tmp']);
  });
});

test('a missing vault directory reads as "no vault yet", not as a filesystem error', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vault-nodir-'));
  try {
    const file = new VaultFile(join(root, 'absent', 'vault'));
    await expect(file.readKeyInfo()).rejects.toMatchObject({ code: 'VAULT_NOT_FOUND' });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
