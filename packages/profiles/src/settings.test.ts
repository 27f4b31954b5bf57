import { ProfileCycleError } from './errors.js';
import { parseConfigText } from './parse.js';
import { settingsReader, unknownIncludes } from './settings.js';

const config = (lines: string[]) => parseConfigText(lines.join('\n'), '/c', 'config');
const read = (lines: string[], profile: string, key: string) => settingsReader(config(lines))(profile).get(key);

describe('settingsReader: include_profile and parent_profile', () => {
  const lines = [
    '[profile base]',
    'region = eu-west-1',
    'mfa_serial = BASE',
    '[profile mid]',
    'include_profile = base',
    'mfa_serial = MID',
    '[profile top]',
    'include_profile = mid',
    '[profile old]',
    'parent_profile = base',
  ];

  test('own settings win; inclusion nests; each value says whose section holds it', () => {
    expect(read(lines, 'top', 'mfa_serial')).toEqual({ value: 'MID', from: 'mid' });
    expect(read(lines, 'top', 'region')).toEqual({ value: 'eu-west-1', from: 'base' });
    expect(read(lines, 'top', 'role_arn')).toBeUndefined();
  });

  test("parent_profile (aws-vault 5's name) includes the same way", () => {
    expect(read(lines, 'old', 'region')).toEqual({ value: 'eu-west-1', from: 'base' });
  });

  test('include_profile wins over parent_profile when a profile has both (as in aws-vault)', () => {
    const both = ['[profile a]', 'region = us-east-1', '[profile b]', 'region = us-west-2', '[profile x]', 'include_profile = a', 'parent_profile = b'];
    expect(read(both, 'x', 'region')?.value).toBe('us-east-1');
  });

  test('a parent_profile loop is an error naming parent_profile; a missing parent is ignored, as aws-vault ignores it, and named', () => {
    expect(() => read(['[profile a]', 'parent_profile = b', '[profile b]', 'parent_profile = a'], 'a', 'region')).toThrow(
      new ProfileCycleError(['a', 'b', 'a'], 'parent_profile'),
    );
    const missing = ['[default]', 'region = eu-west-3', '[profile a]', 'parent_profile = gone', '[profile b]', 'include_profile = a'];
    expect(read(missing, 'b', 'region')).toEqual({ value: 'eu-west-3', from: 'default' });
    expect(unknownIncludes(config(missing), ['b', 'a'])).toEqual(['parent_profile gone of profile a names no section: ignored, as aws-vault ignores it']);
  });
});

describe("settingsReader: aws-vault's [default] fallback", () => {
  const lines = [
    '[default]',
    'region = us-east-1',
    'mfa_serial = DEFAULT-MFA',
    'duration_seconds = 1800',
    'role_arn = arn:aws:iam::123456789012:role/default-role',
    'source_profile = keys',
    'credential_process = tool',
    '[profile lone]',
    '[profile tpl]',
    'region = eu-west-1',
    '[profile inc]',
    'include_profile = tpl',
    '[profile incdef]',
    'include_profile = default',
  ];

  test.each(['region', 'mfa_serial', 'duration_seconds'])('%s a profile lacks comes from [default]', (key) => {
    expect(read(lines, 'lone', key)?.from).toBe('default');
    expect(read(lines, 'no-section', key)?.from).toBe('default');
  });

  test.each(['role_arn', 'source_profile', 'credential_process'])('%s, which decides where credentials come from, does not', (key) => {
    expect(read(lines, 'lone', key)).toBeUndefined();
    expect(read(lines, 'default', key)?.from).toBe('default');
  });

  test('the fallback comes after everything the profile includes', () => {
    expect(read(lines, 'inc', 'region')).toEqual({ value: 'eu-west-1', from: 'tpl' });
    expect(read(lines, 'inc', 'mfa_serial')).toEqual({ value: 'DEFAULT-MFA', from: 'default' });
  });

  test('a profile that includes [default] by name gets all of it', () => {
    expect(read(lines, 'incdef', 'role_arn')?.from).toBe('default');
  });

  test("[default]'s own include_profile is followed for the fallback too, without a loop", () => {
    const f = ['[default]', 'include_profile = common', '[profile common]', 'region = ap-south-1', '[profile x]'];
    expect(read(f, 'x', 'region')).toEqual({ value: 'ap-south-1', from: 'common' });
    expect(read(f, 'common', 'region')).toEqual({ value: 'ap-south-1', from: 'common' });
  });
});
