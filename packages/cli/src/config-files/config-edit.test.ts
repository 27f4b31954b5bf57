import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureConfigSection, hasSection } from './config-edit.js';

test.each([
  ['[profile admin]\n', 'admin', true],
  ['[ profile   admin ] # note\n', 'admin', true],
  ['[admin]\n', 'admin', false],
  ['[profile administrator]\n', 'admin', false],
  ['[default]\r\n', 'default', true],
  ['', 'default', false],
])('hasSection(%p, %p) = %p', (text, profile, expected) => {
  expect(hasSection(text, profile)).toBe(expected);
});

describe('ensureConfigSection', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('appends a section without touching existing bytes', async () => {
    const path = join(dir, 'config');
    const original = '# mine\n[profile a]\nregion = eu-west-1 ; keep';
    await writeFile(path, original);
    expect(await ensureConfigSection(path, 'b')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(`${original}\n\n[profile b]\n`);
    expect(await ensureConfigSection(path, 'b')).toBe(false);
  });

  test('creates a missing file and its directory', async () => {
    const path = join(dir, 'nested', 'config');
    expect(await ensureConfigSection(path, 'default')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('[default]\n');
  });
});
