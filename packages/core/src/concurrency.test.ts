// Several processes on one vault, through the built package (run `npx tsc -b` first; `npm test` does).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listProfiles, putCredentials } from './payload.js';
import type { KdfParams } from './types.js';
import { VaultFile } from './vault.js';

const FAST: KdfParams = { alg: 'argon2id13', opslimit: 1, memlimit: 8192 };
const PASS = 'pw';
const STALE_MS = 2000; // proper-lockfile's minimum, to keep recovery tests short
const fixture = (name: string) => fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url));
const childEnv = { ...process.env, NODE_OPTIONS: '' };

let root: string;
let count = 0;

beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) {
    throw new Error('packages/core/dist is missing: run `npx tsc -b` before these tests');
  }
  root = await mkdtemp(join(tmpdir(), 'vault-concurrency-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function newVault(): Promise<VaultFile> {
  const file = new VaultFile(join(root, `case-${count++}`, 'vault'), { staleLockMs: STALE_MS });
  await file.create(PASS, FAST);
  return file;
}

function run(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [fixture(script), ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

/** Resolves once the child has printed `n` lines (finished writes). */
function linesPrinted(child: ChildProcess, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').length - 1;
      if (seen >= n) resolve();
    });
    child.on('close', () => reject(new Error('the writer exited before writing')));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('loses no update when 12 processes write at once', async () => {
  const file = await newVault();
  const names = Array.from({ length: 12 }, (_, i) => `profile-${i}`);
  const results = await Promise.all(names.map((name) => exited(run('add-profile.mjs', [file.path, PASS, name]))));
  expect(results.filter((r) => r.code !== 0)).toEqual([]);
  const data = await file.read(await file.unlock(PASS));
  expect(listProfiles(data)).toEqual([...names].sort());
}, 60_000);

it('leaves a vault that opens when a writer is SIGKILLed mid-save, and recovers its lock', async () => {
  const file = await newVault();
  const key = await file.unlock(PASS);
  for (let round = 0; round < 4; round++) {
    // Each new writer first has to take over the lock the previous one died holding.
    const writer = run('write-loop.mjs', [file.path, PASS, String(STALE_MS)]);
    const done = exited(writer);
    await linesPrinted(writer, 1 + round);
    await sleep(Math.random() * 30);
    writer.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(listProfiles(await file.read(key)).length).toBeGreaterThan(0);
    // A lock the dead writer left is aged past the stale period before the next writer starts, so the rounds
    // exercise the takeover without waiting it out each time; the last one is not, so the update below waits for real.
    if (round < 3 && existsSync(`${file.path}.lock`)) {
      const past = new Date(Date.now() - 2 * STALE_MS);
      await utimes(`${file.path}.lock`, past, past).catch(() => {});
    }
  }
  // The last writer most likely died holding the lock; a new writer must get it back after it goes stale.
  const started = Date.now();
  const creds = { accessKeyId: 'A', secretAccessKey: 'B', addedAt: 'C' };
  const after = await file.update(key, (d) => putCredentials(d, 'after-crash', creds));
  expect(Date.now() - started).toBeLessThan(STALE_MS + 3000);
  expect(listProfiles(after)).toContain('after-crash');
  expect((await readdir(join(file.path, '..'))).filter((n) => n.endsWith('.lock'))).toEqual([]);
}, 60_000);

it('takes over a lock directory left behind by a dead process', async () => {
  const file = await newVault();
  const key = await file.unlock(PASS);
  const lockDir = `${file.path}.lock`;

  await mkdir(lockDir);
  const longAgo = new Date(Date.now() - 60_000);
  await utimes(lockDir, longAgo, longAgo);
  let started = Date.now();
  await file.update(key, (d) => d);
  expect(Date.now() - started).toBeLessThan(1000);

  // A lock that looks fresh is respected until it has gone unrefreshed for the stale period.
  await mkdir(lockDir);
  started = Date.now();
  await file.update(key, (d) => d);
  const waited = Date.now() - started;
  expect(waited).toBeGreaterThanOrEqual(STALE_MS - 100);
  expect(waited).toBeLessThan(STALE_MS + 2000);
}, 30_000);

it('says what a file at the lock directory path is, instead of an errno, and leaves the vault as it was', async () => {
  const file = await newVault();
  const key = await file.unlock(PASS);
  const lockPath = `${file.path}.lock`;
  await writeFile(lockPath, 'not a lock');
  const longAgo = new Date(Date.now() - 60_000);
  await utimes(lockPath, longAgo, longAgo);
  const err = await file.update(key, (d) => putCredentials(d, 'x', { accessKeyId: 'AKIAXXXXXXXXXXXXXXXX', secretAccessKey: 'x', addedAt: 'now' })).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'VAULT_LOCKED', message: expect.stringContaining(`${lockPath} is not the lock directory vault makes; remove it`) });
  expect(listProfiles(await file.read(key))).not.toContain('x');
}, 30_000);
