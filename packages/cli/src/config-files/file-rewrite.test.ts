import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewriteTextFile, writeBackup } from './file-rewrite.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-rewrite-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a device is neither read nor replaced: /dev/zero is refused as not a regular file', async () => {
  await expect(rewriteTextFile('/dev/zero', undefined, 'x')).rejects.toMatchObject({ code: 'NOT_A_FILE', message: '/dev/zero is not a regular file, so vault does not replace it' });
});

describe('rewriteTextFile', () => {
  test('replaces a 0644 file with a 0600 one and leaves no temp file behind', async () => {
    const path = join(dir, 'credentials');
    await writeFile(path, 'old');
    await chmod(path, 0o644);
    await rewriteTextFile(path, 'old', 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['credentials']);
  });

  test('refuses when the file changed since it was read, keeping the other writer’s version', async () => {
    const path = join(dir, 'credentials');
    await writeFile(path, 'edited meanwhile');
    await expect(rewriteTextFile(path, 'as read', 'new')).rejects.toMatchObject({ code: 'FILE_CHANGED' });
    await expect(rewriteTextFile(join(dir, 'appeared'), undefined, 'x')).resolves.toBeUndefined();
    await expect(rewriteTextFile(join(dir, 'appeared'), undefined, 'y')).rejects.toMatchObject({ code: 'FILE_CHANGED' });
    expect(await readFile(path, 'utf8')).toBe('edited meanwhile');
  });

  test('a path it cannot create gives FILE_WRITE with the cause', async () => {
    await writeFile(join(dir, 'file'), '');
    await expect(rewriteTextFile(join(dir, 'file', 'config'), undefined, 'x')).rejects.toMatchObject({
      code: 'FILE_WRITE',
      message: expect.stringMatching(/cannot write .*file\/config \(E[A-Z]+\)/),
    });
  });
});

describe('writeBackup', () => {
  test('writes a 0600 copy named after the time, and never overwrites one', async () => {
    const path = join(dir, 'credentials');
    const now = new Date('2026-11-23T10:15:30.123Z');
    const backup = await writeBackup(path, 'keys', now);
    expect(backup).toBe(`${path}.20261123T101530Z.bak`);
    expect(await readFile(backup, 'utf8')).toBe('keys');
    expect((await stat(backup)).mode & 0o777).toBe(0o600);
    await expect(writeBackup(path, 'other', now)).rejects.toMatchObject({ code: 'FILE_WRITE' });
    expect(await readFile(backup, 'utf8')).toBe('keys');
  });
});
