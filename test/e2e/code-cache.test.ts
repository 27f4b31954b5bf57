// bin/vault.cjs runs the bundle from the V8 code cache the build writes (scripts/code-cache.mjs). What must hold: V8
// takes the cache the build wrote (a cache it rejects leaves every command compiling the bundle again, with no other
// sign), the cache holds what the training command compiled and not only the bundle's top level, the bundle's
// import() of npm packages works from a cached script, and no run writes the cache, so nothing of a run reaches it.
import { jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { cleanEnv } from './support/clean-env.mjs';
import { run } from './support/process.js';
import { sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';

jest.setTimeout(120_000);

const bundleScript = createRequire(import.meta.url).resolve('../../packages/cli/bin/bundle-script.cjs');
const { CACHE } = createRequire(import.meta.url)(bundleScript) as { CACHE: string };

it('V8 accepts the cache the build wrote, which holds more than compiling the bundle alone gives', async () => {
  // In a Node of its own: V8 checks its version and flags against the cache's, and jest's workers run with others.
  const probe = `const b = require(${JSON.stringify(bundleScript)});
    const cached = b.compileBundle(b.readCache());
    const bare = b.compileBundle(undefined).createCachedData();
    process.stdout.write(JSON.stringify({ rejected: cached.cachedDataRejected, trained: b.readCache().length, bare: bare.length }));`;
  const result = await run(process.execPath, ['-e', probe], { env: cleanEnv() });
  expectSuccess(result);
  const { rejected, trained, bare } = JSON.parse(result.stdout) as { rejected: boolean; trained: number; bare: number };
  expect(rejected).toBe(false);
  expect(trained).toBeGreaterThan(bare * 1.5);
});

it('a command that imports an npm package (yargs, for --help) runs from the cached bundle and prints no warning', async () => {
  const result = await runVault(['--help'], { env: cleanEnv() });
  expectSuccess(result);
  expect(result.stdout).toMatch(/^vault <command>/);
  expect(result.stderr).toBe('');
});

it('a run leaves the cache as the build wrote it, so none of its credentials can reach the file', async () => {
  const keys = fakeKeys();
  const box = await sandbox({ passphrase: 'code cache passphrase', stored: { p: keys } });
  try {
    await box.writeConfig('[profile p]\nregion = eu-west-1\n');
    const before = await readFile(CACHE);
    const env = { ...box.env, AWS_VAULT_FILE_PASSPHRASE: 'code cache passphrase' };
    const result = await runVault(['exec', 'p', '--no-session', '--', process.execPath, '-e', 'process.stdout.write(process.env.AWS_ACCESS_KEY_ID)'], { env });
    expectSuccess(result);
    expect(result.stdout).toBe(keys.accessKeyId);
    const after = await readFile(CACHE);
    expect(after.equals(before)).toBe(true);
    expect(after.includes(keys.accessKeyId)).toBe(false);
    expect(after.includes(keys.secretAccessKey)).toBe(false);
  } finally {
    await box.remove();
  }
});
