import { readFileSync } from 'node:fs';
import { CATALOGUE, describeError } from './catalogue.js';
import { WRITE_REFUSED } from './file-system.js';
import { renderTroubleshooting } from './troubleshooting.js';

test('docs/troubleshooting.md is generated from the catalogue and up to date', () => {
  const doc = readFileSync(new URL('../../../../docs/troubleshooting.md', import.meta.url), 'utf8');
  expect(doc).toBe(renderTroubleshooting());
  for (const code of Object.keys(CATALOGUE)) expect(doc).toContain(`\`${code}\``);
});

test('every refusal a write can meet has its own entry in the catalogue', () => {
  for (const code of WRITE_REFUSED) expect(CATALOGUE[code]?.fix).toBeTruthy();
});

test('describeError: known code gets one line with the fix and the exit code', () => {
  const err = Object.assign(new Error('wrong passphrase for /v/vault'), { code: 'WRONG_PASSPHRASE' });
  expect(describeError(err)).toEqual({
    line: 'vault: wrong passphrase for /v/vault. Try again; check AWS_VAULT_FILE_PASSPHRASE if it is set. If you are sure of it, the vault header was altered: restore the vault file from a backup.',
    exitCode: 1,
    known: true,
  });
});

test('describeError: multi-line messages are folded, usage errors exit 2, unknown errors stay unknown', () => {
  const usage = Object.assign(new Error('Unknown argument:\n  frob'), { code: 'USAGE', exitCode: 2 });
  expect(describeError(usage).line).toBe('vault: Unknown argument: frob. See `vault --help`.');
  expect(describeError(usage).exitCode).toBe(2);
  expect(describeError(new TypeError('boom'))).toEqual({ line: 'vault: boom', exitCode: 1, known: false });
});

test('describeError: control characters from config values or argv are shown escaped, never sent to the terminal', () => {
  const err = Object.assign(new Error('unknown profile \x1b[2Jx\x07y\vz\rw\u2028u\tv\x9b'), { code: 'UNKNOWN_PROFILE' });
  const { line } = describeError(err);
  expect(line).toContain('vault: unknown profile \\u001b[2Jx\\u0007y\\u000bz w\\u2028u v\\u009b. Check the name');
  expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
});

test('describeError: the fix names the profile the error is about, where a shell would take the name as it is', () => {
  const unknown = (profile: string) => Object.assign(new Error(`unknown profile ${profile}`), { code: 'UNKNOWN_PROFILE', profile });
  expect(describeError(unknown('admn')).line).toMatch(/add it with `vault add admn`\.$/);
  expect(describeError(unknown('team a')).line).toMatch(/add it with `vault add PROFILE`\.$/);
  const missing = Object.assign(new Error('a -> src: src has no config section and no stored keys'), { code: 'MISSING_SOURCE', profile: 'src' });
  expect(describeError(missing).line).toMatch(/Add its keys with `vault add src` or fix source_profile\.$/);
});
