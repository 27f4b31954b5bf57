import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserCommand, openBrowser, pageParent, redirectPage } from './open-browser.js';

const URL_WITH_TOKEN = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=vault&SigninToken=tok"<en>';

let dir: string;
let parent: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-opener-'));
  parent = join(dir, 'pages');
  await mkdir(parent, { mode: 0o700 });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An opener script that records its argv, its /proc cmdline, its environment, the page and the page's mode. */
async function recordingOpener(status = 0): Promise<string> {
  const opener = join(dir, 'opener');
  await writeFile(
    opener,
    `#!/bin/sh\n{ printf '%s\\n' "$@"; tr '\\0' '\\n' < /proc/$$/cmdline; env; } > '${dir}/seen'\n` +
      `cat "$1" > '${dir}/page'\nstat -c '%a %U' "$1" "$(dirname "$1")" > '${dir}/modes'\nexit ${status}\n`,
    { mode: 0o755 },
  );
  return opener;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

it('uses open on macOS and xdg-open elsewhere', () => {
  expect(browserCommand('darwin')).toBe('open');
  expect(browserCommand('linux')).toBe('xdg-open');
  expect(browserCommand('freebsd')).toBe('xdg-open');
});

it('puts pages in XDG_RUNTIME_DIR when the session has one', () => {
  const runtime = tmpdir() === '/tmp' ? '/' : '/tmp'; // any directory that exists, other than the fallback
  expect(pageParent({ XDG_RUNTIME_DIR: runtime })).toBe(runtime);
  expect(pageParent({ XDG_RUNTIME_DIR: 'relative' })).toBe(tmpdir());
  expect(pageParent({ XDG_RUNTIME_DIR: '/nonexistent/run' })).toBe(tmpdir());
  expect(pageParent({})).toBe(tmpdir());
});

it('writes a page that forwards to the URL, escaped for HTML', () => {
  const page = redirectPage(URL_WITH_TOKEN);
  const escaped = 'https://signin.aws.amazon.com/federation?Action=login&amp;Issuer=vault&amp;SigninToken=tok&quot;&lt;en&gt;';
  expect(page).toContain(`<meta http-equiv="refresh" content="0;url=${escaped}">`);
  expect(page).toContain(`<a href="${escaped}">`);
  expect(page).toContain('<meta name="referrer" content="no-referrer">');
});

it('hands the opener a private page, never the URL, and removes the page after its lifetime', async () => {
  const opener = await recordingOpener();
  expect(await openBrowser(URL_WITH_TOKEN, { command: opener, parent, lifetimeMs: 300, env: process.env })).toBe(true);
  const seen = await readFile(join(dir, 'seen'), 'utf8');
  expect(seen).not.toContain('SigninToken');
  expect(seen).not.toContain('tok');
  expect(await readFile(join(dir, 'page'), 'utf8')).toBe(redirectPage(URL_WITH_TOKEN));
  const [pageMode, dirMode] = (await readFile(join(dir, 'modes'), 'utf8')).trim().split('\n');
  expect(pageMode?.split(' ')[0]).toBe('600');
  expect(dirMode?.split(' ')[0]).toBe('700');
  expect(await waitUntil(async () => (await readdir(parent)).length === 0, 10_000)).toBe(true);
});

it('reports whether the opener accepted the page, and removes it at once when not', async () => {
  expect(await openBrowser(URL_WITH_TOKEN, { command: 'true', parent, lifetimeMs: 60_000, env: process.env })).toBe(true);
  expect(await openBrowser(URL_WITH_TOKEN, { command: 'false', parent, env: process.env })).toBe(false);
  expect(await openBrowser(URL_WITH_TOKEN, { command: 'vault-test-no-such-opener', parent, env: process.env })).toBe(false);
  expect(await readdir(parent)).toHaveLength(1);
});

it("does not hand vault's passphrases to the opener", async () => {
  const opener = join(dir, 'opener');
  // Succeeds only when neither variable is set.
  await writeFile(opener, '#!/bin/sh\n[ -z "${AWS_VAULT_FILE_PASSPHRASE+x}${AWS_VAULT_NEW_PASSPHRASE+x}" ]\n', { mode: 0o755 });
  const saved = { ...process.env };
  try {
    process.env.AWS_VAULT_FILE_PASSPHRASE = 'opener must not see this';
    process.env.AWS_VAULT_NEW_PASSPHRASE = 'nor this';
    expect(await openBrowser(URL_WITH_TOKEN, { command: opener, parent, lifetimeMs: 0, env: process.env })).toBe(true);
    process.env.VAULT_TEST_CONTROL = 'kept';
    await writeFile(opener, '#!/bin/sh\n[ "$VAULT_TEST_CONTROL" = kept ]\n', { mode: 0o755 });
    expect(await openBrowser(URL_WITH_TOKEN, { command: opener, parent, lifetimeMs: 0, env: process.env })).toBe(true);
  } finally {
    process.env = saved;
  }
});

it("finds the opener on the run's PATH and hands it the run's environment, less the passphrases", async () => {
  const bin = join(dir, 'bin');
  await mkdir(bin);
  // Succeeds only with the run's variable and without its passphrase; found by name on the run's PATH only.
  await writeFile(join(bin, 'vault-test-opener'), '#!/bin/sh\n[ "$RUN_ONLY" = yes ] && [ -z "${AWS_VAULT_FILE_PASSPHRASE+x}" ]\n', { mode: 0o755 });
  const env = { PATH: `${bin}:/usr/bin:/bin`, RUN_ONLY: 'yes', AWS_VAULT_FILE_PASSPHRASE: 'not for the opener' };
  expect(await openBrowser(URL_WITH_TOKEN, { command: 'vault-test-opener', parent, lifetimeMs: 0, env })).toBe(true);
  expect(await openBrowser(URL_WITH_TOKEN, { command: 'vault-test-opener', parent, lifetimeMs: 0, env: process.env })).toBe(false);
  // The page goes to the run's XDG_RUNTIME_DIR when no parent is named.
  const runtime = join(dir, 'runtime');
  await mkdir(runtime, { mode: 0o700 });
  expect(await openBrowser(URL_WITH_TOKEN, { command: 'vault-test-opener', lifetimeMs: 60_000, env: { ...env, XDG_RUNTIME_DIR: runtime } })).toBe(true);
  expect(await readdir(runtime)).toEqual([expect.stringMatching(/^vault-login-/)]);
});
