import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigParseError, ConfigReadError } from './errors.js';
import { MAX_CONFIG_BYTES, readConfigFile, readConfigText } from './read-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-profiles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readConfigFile', () => {
  test('reads and parses a file', async () => {
    const path = join(dir, 'config');
    await writeFile(path, '\uFEFF[profile a]\r\nregion = us-east-1\r\n');
    const file = await readConfigFile(path, 'config');
    expect(file).toMatchObject({ path, kind: 'config' });
    expect({ ...file.profiles.get('a') }).toEqual({ region: 'us-east-1' });
  });

  test('bytes that are not UTF-8: read (as U+FFFD), but refused to an editor, naming the line', async () => {
    const path = join(dir, 'latin1');
    await writeFile(path, Buffer.concat([Buffer.from('[profile a]\n# d'), Buffer.from([0xe9]), Buffer.from('veloppement\nregion = us-east-1\n')]));
    expect(await readConfigText(path)).toContain('# d\uFFFDveloppement');
    await expect(readConfigText(path, { forEdit: true })).rejects.toThrow(new ConfigParseError(path, 2, 'bytes that are not UTF-8 text (the AWS CLI cannot read them either); vault edits the file only once they are fixed'));
    // A real U+FFFD in the file is UTF-8 like any other character.
    await writeFile(path, '# \uFFFD\n[profile a]\n');
    expect(await readConfigText(path, { forEdit: true })).toBe('# \uFFFD\n[profile a]\n');
  });

  test('a credentials file', async () => {
    const path = join(dir, 'credentials');
    await writeFile(path, '[work]\naws_access_key_id = AKIAEXAMPLE\n');
    expect([...(await readConfigFile(path, 'credentials')).profiles.keys()]).toEqual(['work']);
  });

  test.each([['missing'], ['missing-dir/config'], ['credentials/config']])(
    'a missing file (%s) is an empty file',
    async (name) => {
      const path = join(dir, name);
      const file = await readConfigFile(path, 'config');
      expect(file).toMatchObject({ path, kind: 'config' });
      expect(file.profiles.size).toBe(0);
      expect(file.lines.size).toBe(0);
    },
  );

  test('a directory in place of the file is an error naming the path', async () => {
    const error = await readConfigFile(dir, 'config').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigReadError);
    expect(error).toMatchObject({ code: 'CONFIG_READ', message: `cannot read ${dir}: it is a directory, not a file` });
  });

  test.each([
    ['/dev/zero, which never ends', '/dev/zero'],
    ['a file over the size cap', 'huge'],
  ])('%s is an error after reading at most the cap', async (_, name) => {
    const path = name.startsWith('/') ? name : join(dir, name);
    if (!name.startsWith('/')) await writeFile(path, Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x0a));
    const error = await readConfigFile(path, 'config').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigReadError);
    expect(error).toMatchObject({ code: 'CONFIG_READ', message: `cannot read ${path}: it is larger than 16 MiB, which no AWS config file is` });
  });

  test('a file of exactly the cap is read', async () => {
    const path = join(dir, 'at-cap');
    await writeFile(path, Buffer.alloc(MAX_CONFIG_BYTES, 0x0a));
    expect((await readConfigFile(path, 'config')).profiles.size).toBe(0);
  });

  test('a malformed file reports the line', async () => {
    const path = join(dir, 'broken');
    await writeFile(path, '[default]\nregion = us-east-1\noops\n');
    await expect(readConfigFile(path, 'config')).rejects.toThrow(new ConfigParseError(path, 3, 'expected "key = value", a [section] header or a comment'));
  });

  test.each([
    ['little-endian', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[default]\r\n', 'utf16le')])],
    ['big-endian', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('[default]\r\n', 'utf16le').swap16()])],
  ])('a UTF-16 file (%s, with its byte order mark) is reported as such, not as garbage', async (name, bytes) => {
    const path = join(dir, `utf16-${name}`);
    await writeFile(path, bytes);
    await expect(readConfigFile(path, 'config')).rejects.toThrow(new ConfigParseError(path, 1, 'the file is UTF-16 text; save it as UTF-8'));
  });
});
