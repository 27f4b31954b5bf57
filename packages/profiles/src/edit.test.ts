import fc from 'fast-check';
import { removeProfileKeys, setProfileValues, type Setting } from './edit.js';
import { sectionHeader } from './section-names.js';
import { parseConfigText } from './parse.js';

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

describe('a section for a profile, with no settings', () => {
  test.each([
    ['[profile admin]\n', 'admin'],
    ['[ profile   admin ] # note\n', 'admin'],
    ['[profile "admin"]\n', 'admin'],
    ["[profile 'my admin']\n", 'my admin'],
    ['[default]\r\n', 'default'],
    ['[profile default]\n', 'default'],
  ])('%j already has one for %j: nothing changes', (text, profile) => {
    expect(setProfileValues(text, profile, [])).toBe(text);
  });

  test.each([
    ['[admin]\n', 'admin', '[admin]\n\n[profile admin]\n'],
    ['[profile administrator]\n', 'admin', '[profile administrator]\n\n[profile admin]\n'],
    ['# mine\n[profile a]\nregion = eu-west-1 ; keep', 'b', '# mine\n[profile a]\nregion = eu-west-1 ; keep\n\n[profile b]\n'],
    ['', 'default', '[default]\n'],
  ])('%j has none for %j: one is appended', (text, profile, after) => {
    expect(setProfileValues(text, profile, [])).toBe(after);
  });

  test('the editor finds a section exactly when the parser reads one (so it never appends a duplicate)', () => {
    const name = fc.constantFrom('a', 'default', 'my admin', 'b:c');
    const header = fc
      .tuple(name, fc.constantFrom('', ' ', '  '), fc.constantFrom('', '"', "'"), fc.constantFrom('profile ', 'profile  ', ''))
      .map(([n, pad, quote, prefix]) => `[${pad}${prefix}${quote}${n}${quote}${pad}]`);
    const line = fc.oneof(header, fc.constantFrom('', '# c', 'region = x', '  more', '[sso-session a]'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), name, (lines, eol, profile) => {
        const text = ['[default]', ...lines].join(eol);
        fc.pre(parses(text));
        const had = parseConfigText(text, 'f', 'config').profiles.has(profile);
        const after = setProfileValues(text, profile, []);
        expect(after === text).toBe(had);
        expect(parseConfigText(after, 'f', 'config').profiles.has(profile)).toBe(true);
      }),
    );
  });
});

test('sectionHeader is the header the AWS CLI reads for a profile: quoted where the name has a space', () => {
  expect(sectionHeader('default')).toBe('[default]');
  expect(sectionHeader('admin')).toBe('[profile admin]');
  expect(sectionHeader('my admin')).toBe('[profile "my admin"]');
  expect(parseConfigText(`${sectionHeader('my admin')}\nregion = x\n`, 'f', 'config').profiles.get('my admin')).toEqual({ region: 'x' });
});

test('removeProfileKeys drops those keys of those profiles, continuation lines included, and nothing else', () => {
  const text = '[a]\nid = 1\n  more\nkeep = 2\n[b]\nid = 3\n';
  expect(removeProfileKeys(text, 'credentials', new Set(['a']), new Set(['id']))).toBe('[a]\nkeep = 2\n[b]\nid = 3\n');
  expect(removeProfileKeys('[profile "a"]\nid = 1\n', 'config', new Set(['a']), new Set(['id']))).toBe('[profile "a"]\n');
});

function parses(text: string): boolean {
  try {
    parseConfigText(text, 'f', 'config');
    return true;
  } catch {
    return false;
  }
}
