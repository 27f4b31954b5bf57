import fc from 'fast-check';
import { parseLines } from './parse.js';
import { indexPlainConfig } from './section-index.js';
import type { ConfigFile } from './types.js';

function plain(file: ConfigFile) {
  return {
    profiles: Object.fromEntries([...file.profiles].map(([name, values]) => [name, { ...values }])),
    lines: Object.fromEntries(file.lines),
    ignored: file.ignoredSections ? Object.fromEntries(file.ignoredSections) : undefined,
    ssoSessions: file.ssoSessions ? Object.fromEntries([...file.ssoSessions].map(([name, values]) => [name, { ...values }])) : undefined,
    awsVault: file.awsVault ? { ...file.awsVault } : undefined,
  };
}

/** Lines of the shapes real configs have, and the near misses the index must leave to the line parser. */
const row = fc.oneof(
  fc.constantFrom(
    '[default]',
    '[aws-vault]',
    'redact_secrets = true',
    '[sso-session corp]',
    '[profile a]',
    '[profile  b ]  # trailing comment',
    "[ profile 'quoted name' ]",
    '[profile "x"]',
    '[profile ""]',
    '[profile]',
    '[profile\ta]',
    '[profile a ]',
    '[profile  a]',
    "[profile 'q']",
    '[profile \u00a0a]',
    '[profile a\u00a0]',
    '[profile a] ; comment',
    '[profilea]',
    '[sso-session corp]',
    '[a]',
    '[]',
    '[ ]',
    '[a] b = c',
    '[a',
    'region = us-east-1',
    'Role_Arn=arn:aws:iam::123456789012:role/r',
    'key: value = with = signs',
    'key =',
    ' = no key',
    'no separator',
    '# comment',
    '  ; indented comment',
    '',
    '   ',
    '  continued value',
    '\tnested = sub',
    '\u00a0nbsp = start',
    'value = a\u2028b',
    'weird\u000bspace = 1',
  ),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '')),
);

describe('indexPlainConfig', () => {
  test('leaves a long unterminated header to the line parser in one pass, not one per place its name could start', () => {
    // Quadratic before: 4-9 s for 100,000 characters, minutes for 600,000; jest's 5 s timeout stops a regression.
    for (const text of [`[default]\n[profile ${'b'.repeat(400_000)}\nregion = x\n`, '['.repeat(400_000)]) {
      expect(indexPlainConfig(text, '/c', 'config')).toBeUndefined();
    }
  });

  test('reads every text exactly as the line parser does, or leaves it to the line parser', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 25 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.constantFrom<ConfigFile['kind']>('config', 'credentials'),
        (rows, eol, bom, kind) => {
          const text = `${bom ? '\uFEFF' : ''}${rows.join(eol)}`;
          const indexed = indexPlainConfig(text, '/c', kind);
          let reference: ConfigFile | undefined;
          try {
            reference = parseLines(text, '/c', kind);
          } catch {
            // Only the line parser may report a malformed file.
            expect(indexed).toBeUndefined();
            return;
          }
          if (indexed) expect(plain(indexed)).toEqual(plain(reference));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('answers a lookup by name, before anything lists the sections, as the line parser does', () => {
    const named = fc.constantFrom('a', 'b', 'x', 'default', 'quoted name', 'corp', 'aws-vault', 'profile', '', ' a', 'zz');
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 25 }),
        fc.constantFrom<ConfigFile['kind']>('config', 'credentials'),
        fc.array(fc.oneof(named, fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 8 }),
        (rows, kind, names) => {
          const text = rows.join('\n');
          const indexed = indexPlainConfig(text, '/c', kind);
          if (!indexed) return;
          const reference = parseLines(text, '/c', kind);
          for (const name of names) {
            const lookup = (f: ConfigFile) => ({
              has: f.profiles.has(name),
              values: f.profiles.get(name) && { ...f.profiles.get(name) },
              line: f.lines.get(name),
              sso: f.ssoSessions?.get(name) && { ...f.ssoSessions.get(name) },
            });
            expect({ name, ...lookup(indexed) }).toEqual({ name, ...lookup(reference) });
          }
          expect(indexed.awsVault && { ...indexed.awsVault }).toEqual(reference.awsVault && { ...reference.awsVault });
          expect(indexed.ignoredSections && Object.fromEntries(indexed.ignoredSections)).toEqual(
            reference.ignoredSections && Object.fromEntries(reference.ignoredSections),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('a name inside many others, or a long walk of lookups, is answered from the whole index', () => {
    const sections = Array.from({ length: 400 }, (_, i) => `[profile a${i}]\ninclude_profile = a${i + 1}\n`);
    const text = `[profile a]\nregion = eu-west-1\n${sections.join('')}`;
    const file = indexPlainConfig(text, '/c', 'config')!;
    const reference = parseLines(text, '/c', 'config');
    for (let i = 0; i < 100; i++) expect(file.profiles.get(`a${i}`)).toEqual(reference.profiles.get(`a${i}`));
    expect(file.profiles.get('a')).toEqual({ region: 'eu-west-1' });
    expect(file.lines.get('a')).toBe(1);
    expect(file.lines.get('a399')).toBe(reference.lines.get('a399'));
  });

  test('indexes a plain config of thousands of profiles, parsing a section only when it is read', () => {
    const sections = Array.from({ length: 3000 }, (_, i) => `[profile p${i}]\nsource_profile = base\nrole_arn = r${i}\n`);
    const file = indexPlainConfig(`# generated\n[default]\nregion = eu-west-1\n\n${sections.join('\n')}`, '/c', 'config');
    expect(file).toBeDefined();
    expect(file!.profiles.size).toBe(3001);
    expect(file!.profiles.get('p2999')).toEqual({ source_profile: 'base', role_arn: 'r2999' });
    expect(file!.lines.get('p2999')).toBe(4 + 2999 * 4 + 1);
    expect(file!.profiles.get('default')?.region).toBe('eu-west-1');
  });

  test('leaves continuation lines, CR line ends and settings before any header to the line parser', () => {
    expect(indexPlainConfig('[default]\ns3 =\n  max_concurrent_requests = 2\n', '/c', 'config')).toBeUndefined();
    expect(indexPlainConfig('[default]\r\nregion = x\r\n', '/c', 'config')).toBeUndefined();
    expect(indexPlainConfig('region = x\n[default]\n', '/c', 'config')).toBeUndefined();
  });
});
