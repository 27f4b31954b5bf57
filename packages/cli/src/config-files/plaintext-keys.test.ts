import fc from 'fast-check';
import { parseConfigText } from '@vault/profiles';
import { MissingSectionError, planImport, removeKeys } from './plaintext-keys.js';

const ID_A = 'AKIAAAAAAAAAAAAAAAAA';
const ID_B = 'AKIABBBBBBBBBBBBBBBB';

const CREDENTIALS = `# written by aws configure
[default]
aws_access_key_id = ${ID_A}
aws_secret_access_key = secret-a
region = eu-west-1

[temp]
aws_access_key_id = ASIATTTTTTTTTTTTTTTT
aws_secret_access_key = secret-t
aws_session_token = token-t

[half]
aws_access_key_id = ${ID_B}

[ci]
AWS_ACCESS_KEY_ID=${ID_B}
aws_secret_access_key : secret-b

[notes]
region = us-east-1

[odd]
aws_access_key_id = not-a-key-id
aws_secret_access_key = secret-o
`;

const parsed = parseConfigText(CREDENTIALS, '/home/u/.aws/credentials', 'credentials');

describe('planImport', () => {
  test('--all: imports the sections with long-lived keys and says why each other one is skipped', () => {
    const plan = planImport(parsed, { all: true });
    expect(plan.keys).toEqual([
      { profile: 'default', accessKeyId: ID_A, secretAccessKey: 'secret-a', settings: [['region', 'eu-west-1']], leftOut: [] },
      { profile: 'ci', accessKeyId: ID_B, secretAccessKey: 'secret-b', settings: [], leftOut: [] },
    ]);
    expect(plan.skipped).toEqual([
      { profile: 'temp', reason: expect.stringMatching(/temporary credentials \(aws_session_token\)/) },
      { profile: 'half', reason: expect.stringMatching(/no aws_secret_access_key/) },
      { profile: 'notes', reason: expect.stringMatching(/no aws_access_key_id or aws_secret_access_key/) },
      { profile: 'odd', reason: expect.stringMatching(/not a long-lived key id/) },
    ]);
  });

  test('a section whose name vault cannot write as a profile is skipped, saying why; one with a space is kept', () => {
    const file = parseConfigText(`[a "b" c]\naws_access_key_id = ${ID_A}\naws_secret_access_key = s\n[team a]\naws_access_key_id = ${ID_B}\naws_secret_access_key = t\n`, 'c', 'credentials');
    const plan = planImport(file, { all: true });
    expect(plan.keys.map((k) => k.profile)).toEqual(['team a']);
    expect(plan.skipped).toEqual([{ profile: 'a "b" c', reason: 'its name cannot be a profile vault writes (it has a double quote or a backslash, which the AWS CLI reads in a section header as quoting)' }]);
  });

  test("the section's other settings go with the keys; a nested block is named, not copied", () => {
    const file = parseConfigText(
      `[work]\naws_access_key_id = ${ID_A}\naws_secret_access_key = s\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/a\ns3 =\n  max_concurrent_requests = 10\n`,
      'c',
      'credentials',
    );
    const [keys] = planImport(file, { all: true }).keys;
    expect(keys?.settings).toEqual([['region', 'eu-west-1'], ['mfa_serial', 'arn:aws:iam::123456789012:mfa/a']]);
    expect(keys?.leftOut).toEqual(['s3']);
  });

  test('named profiles: only those, once each, in the order given', () => {
    const plan = planImport(parsed, { all: false, profiles: ['ci', 'temp', 'ci'] });
    expect(plan.keys.map((k) => k.profile)).toEqual(['ci']);
    expect(plan.skipped.map((s) => s.profile)).toEqual(['temp']);
  });

  test('a named profile without a section is an error that lists the sections there are', () => {
    const run = () => planImport(parsed, { all: false, profiles: ['default', 'prod'] });
    expect(run).toThrow(MissingSectionError);
    expect(run).toThrow('/home/u/.aws/credentials has no [prod] section (it has [default], [temp], [half], [ci], [notes], [odd])');
    expect(() => planImport(parseConfigText('', 'f', 'credentials'), { all: false, profiles: ['x'] })).toThrow(
      'it has no sections',
    );
  });

  test('a secret never appears in a skip reason', () => {
    const reasons = planImport(parsed, { all: true }).skipped.map((s) => s.reason).join(' ');
    for (const secret of ['secret-a', 'secret-b', 'secret-t', 'token-t', 'secret-o']) expect(reasons).not.toContain(secret);
  });
});

describe('removeKeys', () => {
  test('removes exactly the key id and secret lines of the named sections', () => {
    expect(removeKeys(CREDENTIALS, new Set(['default', 'ci']))).toBe(`# written by aws configure
[default]
region = eu-west-1

[temp]
aws_access_key_id = ASIATTTTTTTTTTTTTTTT
aws_secret_access_key = secret-t
aws_session_token = token-t

[half]
aws_access_key_id = ${ID_B}

[ci]

[notes]
region = us-east-1

[odd]
aws_access_key_id = not-a-key-id
aws_secret_access_key = secret-o
`);
  });

  test('keeps CRLF line ends, comments between keys, and a last line without a newline', () => {
    const text = '[a]\r\n; mine\r\naws_access_key_id = X\r\n# also mine\r\naws_secret_access_key = Y';
    expect(removeKeys(text, new Set(['a']))).toBe('[a]\r\n; mine\r\n# also mine\r\n');
  });

  test('drops the continuation lines of a removed value, and keeps a key that is itself a continuation', () => {
    const text = '[a]\naws_secret_access_key = part1\n  part2\nnested =\n  aws_access_key_id = kept\nregion = x\n';
    expect(removeKeys(text, new Set(['a']))).toBe('[a]\nnested =\n  aws_access_key_id = kept\nregion = x\n');
  });

  test('removes from every section of that name ([ a ] is [a])', () => {
    const text = '[a]\naws_access_key_id = 1\n[b]\naws_access_key_id = 2\n[ a ]\naws_secret_access_key = 3\n';
    expect(removeKeys(text, new Set(['a']))).toBe('[a]\n[b]\naws_access_key_id = 2\n[ a ]\n');
  });

  test('leaves the file unchanged for no profiles, and the parsed result loses only the removed keys', () => {
    const line = fc.oneof(
      fc.constantFrom('', '# c', '; c', '  cont', '[a]', '[b]', 'region = x', 'aws_access_key_id = K', 'AWS_SECRET_ACCESS_KEY: S'),
      fc.constantFrom('aws_session_token = T', ' aws_access_key_id = indented'),
    );
    const file = fc.tuple(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n')).map(([ls, eol]) => ['[a]', ...ls].join(eol));
    fc.assert(
      fc.property(file, (text) => {
        expect(removeKeys(text, new Set())).toBe(text);
        // A continuation line with nothing to continue is a file the AWS CLI rejects too; not this test's subject.
        fc.pre(parses(text));
        const before = parseConfigText(text, 'f', 'credentials').profiles;
        const after = parseConfigText(removeKeys(text, new Set(['a'])), 'f', 'credentials').profiles;
        const rest = { ...before.get('a') };
        delete rest.aws_access_key_id;
        delete rest.aws_secret_access_key;
        expect({ ...after.get('a') }).toEqual(rest);
        expect({ ...after.get('b') }).toEqual({ ...before.get('b') });
      }),
    );
  });
});

function parses(text: string): boolean {
  try {
    parseConfigText(text, 'f', 'credentials');
    return true;
  } catch {
    return false;
  }
}
