import fc from 'fast-check';
import { lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '@vault/profiles';
import { setProfileValues, writeProfileValues, type Setting } from './config-write.js';

const ROLE: Setting[] = [
  ['role_arn', 'arn:aws:iam::123456789012:role/admin'],
  ['source_profile', 'read-only'],
];

describe('setProfileValues', () => {
  test('appends a missing section after one blank line, as aws configure set does', () => {
    expect(setProfileValues('[default]\nregion = eu-west-1\n', 'admin', ROLE)).toBe(
      '[default]\nregion = eu-west-1\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = read-only\n',
    );
    expect(setProfileValues('', 'admin', ROLE.slice(1))).toBe('[profile admin]\nsource_profile = read-only\n');
    expect(setProfileValues('[a]\nx = 1', 'admin', ROLE.slice(1))).toBe('[a]\nx = 1\n\n[profile admin]\nsource_profile = read-only\n');
    expect(setProfileValues('[a]\n\n', 'default', [['region', 'us-east-1']])).toBe('[a]\n\n[default]\nregion = us-east-1\n');
  });

  test('changes existing keys in place and adds new ones after the last setting of the section', () => {
    const text = [
      '# mine',
      '[profile admin]   # the admin role',
      '  Role_Arn = arn:aws:iam::123456789012:role/old',
      'region = us-east-1',
      '',
      '# belongs to the next section',
      '[profile other]',
      'region = eu-west-1',
      '',
    ].join('\n');
    expect(setProfileValues(text, 'admin', ROLE)).toBe(
      [
        '# mine',
        '[profile admin]   # the admin role',
        '  role_arn = arn:aws:iam::123456789012:role/admin',
        'region = us-east-1',
        'source_profile = read-only',
        '',
        '# belongs to the next section',
        '[profile other]',
        'region = eu-west-1',
        '',
      ].join('\n'),
    );
  });

  test('keeps CRLF line ends and finishes a last line that had none', () => {
    expect(setProfileValues('[profile admin]\r\nregion = x', 'admin', ROLE.slice(1))).toBe(
      '[profile admin]\r\nregion = x\r\nsource_profile = read-only\r\n',
    );
  });

  test('changes the occurrence the AWS CLI reads: the last one across duplicate sections', () => {
    const text = '[profile a]\nregion = one\n[profile b]\nregion = b\n[ profile  a ]\nregion = two\n';
    expect(setProfileValues(text, 'a', [['region', 'three']])).toBe(
      '[profile a]\nregion = one\n[profile b]\nregion = b\n[ profile  a ]\nregion = three\n',
    );
  });

  test('drops the continuation lines of a replaced value', () => {
    const text = '[profile a]\nrole_arn = x\n  y\n# kept\n  z\nregion = r\n';
    expect(setProfileValues(text, 'a', ROLE.slice(0, 1))).toBe(
      '[profile a]\nrole_arn = arn:aws:iam::123456789012:role/admin\n# kept\nregion = r\n',
    );
  });

  test('[profile default] counts as default; [admin] is not the profile admin in a config file', () => {
    expect(setProfileValues('[profile default]\n', 'default', [['region', 'r']])).toBe('[profile default]\nregion = r\n');
    expect(setProfileValues('[admin]\n', 'admin', [['region', 'r']])).toBe('[admin]\n\n[profile admin]\nregion = r\n');
  });

  test('refuses a value that would break the file', () => {
    expect(() => setProfileValues('', 'a', [['region', 'x\n[evil]']])).toThrow();
    expect(() => setProfileValues('', 'a', [['bad key', 'x']])).toThrow();
  });

  test('only the edited profile reads differently afterwards', () => {
    const line = fc.constantFrom('', '# c', '[profile a]', '[profile b]', '[default]', 'region = x', 'role_arn = old', '  more');
    const file = fc.array(line, { maxLength: 20 }).map((ls) => ['[default]', ...ls].join('\n'));
    fc.assert(
      fc.property(file, fc.constantFrom('a', 'b', 'default', 'new'), (text, profile) => {
        fc.pre(parses(text));
        const before = parseConfigText(text, 'f', 'config').profiles;
        const after = parseConfigText(setProfileValues(text, profile, ROLE), 'f', 'config').profiles;
        expect({ ...after.get(profile) }).toEqual({ ...before.get(profile), ...Object.fromEntries(ROLE) });
        for (const [name, values] of before) if (name !== profile) expect({ ...after.get(name) }).toEqual({ ...values });
      }),
    );
  });
});

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

function parses(text: string): boolean {
  try {
    parseConfigText(text, 'f', 'config');
    return true;
  } catch {
    return false;
  }
}
