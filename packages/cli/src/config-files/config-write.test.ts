import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Setting } from '@vault/profiles';
import { addToConfig, writeProfileValues } from './config-write.js';

const ROLE: Setting[] = [
  ['role_arn', 'arn:aws:iam::123456789012:role/admin'],
  ['source_profile', 'read-only'],
];

describe('writeProfileValues', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-config-write-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('creates the file 0600, then reports no change when the values are already there', async () => {
    const path = join(dir, 'aws', 'config');
    expect(await writeProfileValues(path, 'admin', ROLE)).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await writeProfileValues(path, 'admin', ROLE)).toBe(false);
    expect(await readFile(path, 'utf8')).toBe(
      '[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = read-only\n',
    );
  });

  test('edits the target of a symlinked config and keeps the link', async () => {
    const real = join(dir, 'dotfiles-config');
    const link = join(dir, 'config');
    await writeFile(real, '[default]\n');
    await symlink(real, link);
    await writeProfileValues(link, 'default', [['region', 'eu-west-1']]);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('[default]\nregion = eu-west-1\n');
  });

  test('refuses to edit a file the AWS CLI could not read, and leaves it alone', async () => {
    const path = join(dir, 'config');
    await writeFile(path, '[profile a]\nnot a setting\n');
    await expect(writeProfileValues(path, 'a', ROLE)).rejects.toMatchObject({ code: 'CONFIG_PARSE' });
    expect(await readFile(path, 'utf8')).toBe('[profile a]\nnot a setting\n');
  });
});

describe('addToConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('appends a section without touching existing bytes, once', async () => {
    const path = join(dir, 'config');
    const original = '# mine\n[profile a]\nregion = eu-west-1 ; keep';
    await writeFile(path, original);
    expect(await addToConfig(path, 'b')).toBe('changed');
    expect(await readFile(path, 'utf8')).toBe(`${original}\n\n[profile b]\n`);
    expect(await addToConfig(path, 'b')).toBe('unchanged');
  });

  test('a quoted [profile "foo"] is the section of foo: nothing is appended', async () => {
    const path = join(dir, 'config');
    await writeFile(path, '[profile "foo"]\nregion = eu-west-1\n');
    expect(await addToConfig(path, 'foo')).toBe('unchanged');
    expect(await readFile(path, 'utf8')).toBe('[profile "foo"]\nregion = eu-west-1\n');
  });

  test('an existing file keeps its mode, as `aws configure set` leaves it', async () => {
    const path = join(dir, 'config');
    await writeFile(path, '[profile a]\n', { mode: 0o644 });
    await chmod(path, 0o644);
    expect(await addToConfig(path, 'b')).toBe('changed');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });

  test('leaves a config that is not a regular file alone (AWS_CONFIG_FILE=/dev/null): no file in its place, no lock beside it', async () => {
    // A FIFO stands in for /dev/null: were it read, the read would wait for a writer and the test time out.
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    expect(await addToConfig(path, 'b', [['region', 'eu-west-1']])).toBe('not-a-file');
    expect((await stat(path)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['fifo']);
    await expect(writeProfileValues(path, 'b', [])).rejects.toMatchObject({ code: 'NOT_A_FILE' });
  });

  test('creates a missing file (0600) and its directory', async () => {
    const path = join(dir, 'nested', 'config');
    expect(await addToConfig(path, 'default')).toBe('changed');
    expect(await readFile(path, 'utf8')).toBe('[default]\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  test('sections added at once by many writers all land (they take turns through a lock beside the file)', async () => {
    const path = join(dir, 'config');
    const names = Array.from({ length: 12 }, (_, i) => `writer-${i}`);
    expect(await Promise.all(names.map((name) => addToConfig(path, name)))).toEqual(names.map(() => 'changed'));
    const text = await readFile(path, 'utf8');
    for (const name of names) expect(text).toContain(`[profile ${name}]\n`);
  });
});
