import { validateAccessKeyId, validateProfileName, validateSecretAccessKey } from './access-key.js';

test.each(['AKIAIOSFODNN7EXAMPLE', 'ASIAIOSFODNN7EXAMPLE', ' AKIAIOSFODNN7EXAMPLE\n', 'AKIA' + 'A'.repeat(124)])('accepts the IAM key id %p', (id) => {
  expect(validateAccessKeyId(id)).toEqual({ id: id.trim(), looksLikeAws: true });
});

test.each(['test', 'AKIA', 'akiaiosfodnn7example', 'XKIAIOSFODNN7EXAMPLE', 'minio-admin'])('keeps the other key id %p, saying it is not shaped like IAM\'s', (id) => {
  expect(validateAccessKeyId(id)).toEqual({ id, looksLikeAws: false });
});

test.each(['', '   ', 'AKIA IOSFODNN7EXAMPLE', 'AKIA\nX', 'tab\tid', 'A'.repeat(129), 'AKIA\uFFFDIOSFODNN7EXAMPLE'])('rejects %p with INVALID_ACCESS_KEY_ID', (id) => {
  expect(() => validateAccessKeyId(id)).toThrow(expect.objectContaining({ code: 'INVALID_ACCESS_KEY_ID' }));
});

test.each([
  ['', 'it is empty'],
  ['a]b', 'it has [ or ] in it'],
  ['a\nb', 'it has a line break in it'],
  [' padded', 'it starts or ends with a space'],
  ['" spaced "', 'it has a double quote or a backslash'],
  ['x"y"', 'it has a double quote or a backslash'],
  ['"q"', 'it has a double quote or a backslash'],
  ['a\\b', 'it has a double quote or a backslash'],
  ['p'.repeat(257), 'longer than 256 characters'],
])('rejects profile name %p, saying why', (name, why) => {
  expect(() => validateProfileName(name)).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining(why) }));
});

test.each(['admin', 'default', 'team a', "o'brien x", "'admin'", 'o\'brien'])('accepts profile name %p, which reads back as itself', (name) => {
  expect(validateProfileName(name)).toBe(name);
});

test.each(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '  wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n', 'test'])('accepts the secret %p, trimmed', (secret) => {
  expect(validateSecretAccessKey(secret)).toBe(secret.trim());
});

test.each([
  ['', 'EMPTY_SECRET'],
  ['  \n', 'EMPTY_SECRET'],
  ['SeCrEtNL\nAWS_REGION=evil', 'INVALID_SECRET'],
  ['two words', 'INVALID_SECRET'],
  ['tab\there', 'INVALID_SECRET'],
  ['bell\u0007', 'INVALID_SECRET'],
  ['\uFFFD\uFFFDSECRETPART', 'INVALID_SECRET'],
  ['nbsp\u00a0inside', 'INVALID_SECRET'],
])('refuses the secret %p with %s', (secret, code) => {
  expect(() => validateSecretAccessKey(secret)).toThrow(expect.objectContaining({ code }));
});
