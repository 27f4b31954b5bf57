import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyVaultData, getCredentials, putCredentials, putSession, VaultFile, wipeKey } from '@vault/core';
import { createContext, type Context } from '../io/context.js';
import { importKeys, mergeImports, type ImportArgs } from './import.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const A = { profile: 'a', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'secret-a' };
const B = { profile: 'b', accessKeyId: 'AKIABBBBBBBBBBBBBBBB', secretAccessKey: 'secret-b' };

describe('mergeImports', () => {
  const held = putCredentials(putCredentials(emptyVaultData(), 'a', { ...A, addedAt: 'then' }), 'b', {
    accessKeyId: 'AKIAOTHEROTHEROTHER1',
    secretAccessKey: 'other',
    addedAt: 'then',
  });

  test('stores new keys, keeps identical ones, and leaves different stored keys alone without force', () => {
    const c = { ...A, profile: 'c' };
    const out = mergeImports(held, [A, B, c], false, NOW);
    expect(out).toMatchObject({ stored: ['c'], unchanged: ['a'], conflicts: ['b'] });
    expect(getCredentials(out.data, 'b')?.accessKeyId).toBe('AKIAOTHEROTHEROTHER1');
    expect(getCredentials(out.data, 'c')).toEqual({ accessKeyId: A.accessKeyId, secretAccessKey: 'secret-a', addedAt: NOW.toISOString() });
    expect(getCredentials(out.data, 'a')?.addedAt).toBe('then');
  });

  test('force replaces different stored keys', () => {
    const out = mergeImports(held, [B], true, NOW);
    expect(out).toMatchObject({ stored: ['b'], conflicts: [] });
    expect(getCredentials(out.data, 'b')?.accessKeyId).toBe(B.accessKeyId);
  });

  test('replacing keys drops the sessions made with the old ones, and only those', () => {
    const session = (profiles: string[]) => ({
      accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't', expiration: '2099-01-01T00:00:00Z',
      profile: profiles.at(-1)!, chain: profiles.join(' -> '), profiles,
    });
    const cached = putSession(putSession(putSession(held, 'of-b', session(['b'])), 'via-b', session(['b', 'admin'])), 'of-a', session(['a']));
    const out = mergeImports(cached, [A, B], true, NOW);
    expect(Object.keys(out.data.sessions)).toEqual(['of-a']);
  });
});

describe('importKeys', () => {
  const CREDENTIALS = [
    '# from aws configure',
    '[a]',
    `aws_access_key_id = ${A.accessKeyId}`,
    'aws_secret_access_key = secret-a',
    'region = eu-west-1',
    '',
    '[t]',
    'aws_access_key_id = ASIATTTTTTTTTTTTTTTT',
    'aws_secret_access_key = secret-t',
    'aws_session_token = token-t',
    '',
  ].join('\n');
  const PASS = 'import test passphrase';

  let dir: string;
  let info: string[];
  let confirms: string[];
  let answer: boolean;
  let ctx: Context;

  const args = (extra: Partial<ImportArgs> = {}): ImportArgs => ({
    profiles: [],
    all: true,
    removePlaintext: undefined,
    backup: false,
    force: false,
    ...extra,
  });
  const credentials = () => readFile(join(dir, 'credentials'), 'utf8');
  const stored = async (profile: string) => {
    const file = new VaultFile(ctx.vaultPath);
    return getCredentials(await file.read(await file.unlock(PASS)), profile);
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-import-'));
    info = [];
    confirms = [];
    answer = false;
    await writeFile(join(dir, 'credentials'), CREDENTIALS, { mode: 0o644 });
    await writeFile(join(dir, 'config'), '[profile other]\n');
    // An existing vault at Argon2id's minimum cost: created by importKeys it would cost the default KDF's second.
    wipeKey(await new VaultFile(join(dir, 'vault-dir', 'vault')).create(PASS, { alg: 'argon2id13', opslimit: 1, memlimit: 8 * 1024 }));
    ctx = {
      ...createContext({
        debug: false,
        env: { AWS_VAULT_FILE_DIR: join(dir, 'vault-dir'), AWS_VAULT_FILE_PASSPHRASE: PASS },
      }),
      configPath: join(dir, 'config'),
      credentialsPath: join(dir, 'credentials'),
      prompter: {
        secret: () => Promise.reject(new Error('no secret prompt expected')),
        text: () => Promise.reject(new Error('no text prompt expected')),
        select: () => Promise.reject(new Error('no choice expected')),
        confirm: async (message) => {
          confirms.push(message);
          return answer;
        },
      },
      clock: () => NOW,
      info: (m) => void info.push(m),
      stdout: () => {},
      interactive: () => true,
    };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('stores the keys, adds the config section, and keeps the plaintext when the prompt is declined', async () => {
    await importKeys(ctx, args());
    expect(await stored('a')).toEqual({ accessKeyId: A.accessKeyId, secretAccessKey: 'secret-a', addedAt: NOW.toISOString() });
    expect(await stored('t')).toBeUndefined();
    // With the setting the AWS CLI read from the credentials file's [a].
    expect(await readFile(join(dir, 'config'), 'utf8')).toBe('[profile other]\n\n[profile a]\nregion = eu-west-1\n');
    expect(confirms).toEqual([`Remove the keys of "a" from ${join(dir, 'credentials')} now that the vault holds them?`]);
    expect(await credentials()).toBe(CREDENTIALS);
    expect(info.join('\n')).toContain('Skipped "t": it holds temporary credentials');
    expect(info.join('\n')).toContain('`vault import --remove-plaintext a` removes them');
  });

  test("[default]'s settings that vault lends every profile (mfa_serial, region, ...) are named, not copied into the config's [default]", async () => {
    await writeFile(
      join(dir, 'credentials'),
      `[default]\naws_access_key_id = ${A.accessKeyId}\naws_secret_access_key = secret-a\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\noutput = json\n`,
    );
    await importKeys(ctx, args({ removePlaintext: false }));
    expect(await readFile(join(dir, 'config'), 'utf8')).toBe('[profile other]\n\n[default]\noutput = json\n');
    expect(info.join('\n')).toContain("Not copied to [default]: mfa_serial of the credentials file's [default]; in the config's [default] vault applies them to every profile without its own");
  });

  test('removes the plaintext keys when the prompt is accepted, leaving every other byte', async () => {
    answer = true;
    await importKeys(ctx, args());
    expect(await credentials()).toBe(CREDENTIALS.replace(`aws_access_key_id = ${A.accessKeyId}\naws_secret_access_key = secret-a\n`, ''));
    expect((await stat(join(dir, 'credentials'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.bak$/));
  });

  test('--remove-plaintext --backup: no prompt, and a 0600 copy of the original', async () => {
    await importKeys(ctx, args({ removePlaintext: true, backup: true }));
    expect(confirms).toEqual([]);
    const backup = join(dir, 'credentials.20261123T100000Z.bak');
    expect(await readFile(backup, 'utf8')).toBe(CREDENTIALS);
    expect((await stat(backup)).mode & 0o777).toBe(0o600);
    expect(await credentials()).not.toContain('secret-a');
    expect(info.join('\n')).toContain(`(the original is in ${backup}, mode 0600)`);
  });

  test('without a terminal and without --remove-plaintext the plaintext stays; a second run can remove it', async () => {
    ctx.interactive = () => false;
    await importKeys(ctx, args({ profiles: ['a'], all: false }));
    expect(await credentials()).toBe(CREDENTIALS);
    await importKeys(ctx, args({ profiles: ['a'], all: false, removePlaintext: true }));
    expect(info.join('\n')).toContain('Already in the vault with the same keys: "a".');
    expect(await credentials()).not.toContain('secret-a');
  });

  test('keys that differ from the stored ones are neither replaced nor removed from the plaintext', async () => {
    const file = new VaultFile(ctx.vaultPath);
    const key = await file.unlock(PASS);
    await file.update(key, (d) => putCredentials(d, 'a', { accessKeyId: 'AKIAOTHEROTHEROTHER1', secretAccessKey: 'x', addedAt: 'then' }));
    await expect(importKeys(ctx, args({ removePlaintext: true }))).rejects.toMatchObject({
      code: 'IMPORT_CONFLICT',
      message: 'not imported "a": the vault holds other keys for it, and the plaintext keys stay',
    });
    expect((await stored('a'))?.accessKeyId).toBe('AKIAOTHEROTHEROTHER1');
    expect(await credentials()).toBe(CREDENTIALS);
  });

  test('nothing to import is an error; so is no selection, and a missing file', async () => {
    await expect(importKeys(ctx, args({ profiles: ['t'], all: false }))).rejects.toMatchObject({
      code: 'NOTHING_TO_IMPORT',
      message: expect.stringContaining('t: it holds temporary credentials'),
    });
    await expect(importKeys(ctx, args({ all: false }))).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('has a, t'),
    });
    ctx.credentialsPath = join(dir, 'none');
    await expect(importKeys(ctx, args())).rejects.toMatchObject({ code: 'NO_CREDENTIALS_FILE' });
  });
});
