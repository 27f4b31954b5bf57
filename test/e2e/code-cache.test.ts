// bin/vault.cjs runs bin.cjs, and the STS client and libsodium bundled beside it (sts.cjs, sodium.cjs), from the V8
// code caches the build writes (scripts/code-cache.mjs). What must hold: V8 takes each cache the build
// wrote (a cache it rejects leaves every command compiling the file again, with no other sign), each holds what the
// training commands compiled and not only the file's top level, the bundle's import() of npm packages works from a
// cached script, and no run writes a cache, so nothing of a run reaches one.
import { jest } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { probeCodeCaches } from './support/code-cache.js';
import { expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { cleanEnv } from './support/clean-env.mjs';
import { sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';

jest.setTimeout(120_000);

const bundleScript = createRequire(import.meta.url).resolve('../../packages/cli/bin/bundle-script.cjs');
const { BUNDLE } = createRequire(import.meta.url)(bundleScript) as { BUNDLE: string };
const bundleDir = dirname(BUNDLE);

it('V8 accepts each cache the build wrote, and each holds more than compiling its file alone gives', async () => {
  const probes = await probeCodeCaches(bundleScript);
  expect(Object.keys(probes).sort()).toEqual(['bin.cjs', 'sodium.cjs', 'sts.cjs']);
  for (const [file, { rejected, trained, bare }] of Object.entries(probes)) {
    expect({ file, rejected }).toEqual({ file, rejected: false });
    expect({ file, trained: trained > bare * 1.5 }).toEqual({ file, trained: true });
  }
});

it('a command that imports an npm package (yargs, for --help) runs from the cached bundle and prints no warning', async () => {
  const result = await runVault(['--help'], { env: cleanEnv() });
  expectSuccess(result);
  expect(result.stdout).toMatch(/^vault <command>/);
  expect(result.stderr).toBe('');
});

it('a run leaves the caches as the build wrote them, so none of its credentials can reach a file', async () => {
  const keys = fakeKeys();
  const box = await sandbox({ passphrase: 'code cache passphrase', stored: { p: keys } });
  const caches = async () => {
    const names = (await readdir(bundleDir)).filter((name) => name.endsWith('.cache')).sort();
    return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(bundleDir, name)) })));
  };
  try {
    await box.writeConfig('[profile p]\nregion = eu-west-1\n');
    const before = await caches();
    // The passphrase from the environment: this run loads libsodium (sodium.cjs) through bundle-script.cjs too.
    const env = { ...box.env, AWS_VAULT_FILE_PASSPHRASE: 'code cache passphrase' };
    const result = await runVault(['exec', 'p', '--no-session', '--', process.execPath, '-e', 'process.stdout.write(process.env.AWS_ACCESS_KEY_ID)'], { env });
    expectSuccess(result);
    expect(result.stdout).toBe(keys.accessKeyId);
    const after = await caches();
    expect(after.map(({ name }) => name)).toEqual(before.map(({ name }) => name));
    after.forEach(({ name, bytes }, i) => {
      expect({ name, unchanged: bytes.equals(before[i]!.bytes) }).toEqual({ name, unchanged: true });
      for (const secret of [keys.accessKeyId, keys.secretAccessKey, 'code cache passphrase']) {
        expect({ name, holds: bytes.includes(secret) }).toEqual({ name, holds: false });
      }
    });
  } finally {
    await box.remove();
  }
});
