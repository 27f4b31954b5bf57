import { configPath, credentialsPath, expandHome } from './paths.js';

describe.each([
  ['configPath', configPath, 'AWS_CONFIG_FILE', '/home/u/.aws/config'],
  ['credentialsPath', credentialsPath, 'AWS_SHARED_CREDENTIALS_FILE', '/home/u/.aws/credentials'],
])('%s', (_name, pathOf, variable, fallback) => {
  test.each<[string | undefined, string]>([
    [undefined, fallback],
    ['', fallback],
    ['/etc/aws/file', '/etc/aws/file'],
    ['relative/file', 'relative/file'],
    ['~/work/aws', '/home/u/work/aws'],
    ['~', '/home/u'],
    ['~other/file', '~other/file'],
  ])(`${variable}=%j -> %s`, (value, expected) => {
    expect(pathOf({ [variable]: value }, '/home/u')).toBe(expected);
  });

  test.each<[string, string]>([
    ['$AWS_DIR/file', '/srv/aws/file'],
    ['${AWS_DIR}/file', '/srv/aws/file'],
    ['~/$SUB/file', '/home/u/x/file'],
    ['$UNSET_THING/file', '$UNSET_THING/file'],
    ['${}/file', '${}/file'],
  ])(`${variable}=%j expands its variables as botocore does -> %s`, (value, expected) => {
    expect(pathOf({ [variable]: value, AWS_DIR: '/srv/aws', SUB: 'x' }, '/home/u')).toBe(expected);
  });

  test('the other variable does not matter', () => {
    const other = variable === 'AWS_CONFIG_FILE' ? 'AWS_SHARED_CREDENTIALS_FILE' : 'AWS_CONFIG_FILE';
    expect(pathOf({ [other]: '/x' }, '/home/u')).toBe(fallback);
  });
});

describe('expandHome', () => {
  it('reads a leading ~ as the home directory, and nothing else', () => {
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('~/vault-dir', '/home/u')).toBe('/home/u/vault-dir');
    expect(expandHome('~other/x', '/home/u')).toBe('~other/x');
    expect(expandHome('/srv/~/x', '/home/u')).toBe('/srv/~/x');
  });
});
