import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserCommand, openBrowser } from './open-browser.js';

it('uses open on macOS and xdg-open elsewhere', () => {
  expect(browserCommand('darwin')).toBe('open');
  expect(browserCommand('linux')).toBe('xdg-open');
  expect(browserCommand('freebsd')).toBe('xdg-open');
});

it('reports whether the opener accepted the URL', async () => {
  expect(await openBrowser('https://example.test/', 'true')).toBe(true);
  expect(await openBrowser('https://example.test/', 'false')).toBe(false);
  expect(await openBrowser('https://example.test/', 'vault-test-no-such-opener')).toBe(false);
});

it("does not hand vault's passphrases to the opener", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vault-opener-'));
  const opener = join(dir, 'opener');
  // Succeeds only when neither variable is set.
  await writeFile(opener, '#!/bin/sh\n[ -z "${AWS_VAULT_FILE_PASSPHRASE+x}${AWS_VAULT_NEW_PASSPHRASE+x}" ]\n', { mode: 0o755 });
  const saved = { ...process.env };
  try {
    process.env.AWS_VAULT_FILE_PASSPHRASE = 'opener must not see this';
    process.env.AWS_VAULT_NEW_PASSPHRASE = 'nor this';
    expect(await openBrowser('https://example.test/', opener)).toBe(true);
    process.env.VAULT_TEST_CONTROL = 'kept';
    await writeFile(opener, '#!/bin/sh\n[ "$VAULT_TEST_CONTROL" = kept ]\n', { mode: 0o755 });
    expect(await openBrowser('https://example.test/', opener)).toBe(true);
  } finally {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  }
});
