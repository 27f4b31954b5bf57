// `vault add` SIGKILLed at random points, dozens of times (hundreds in `npm run test:full`): the vault must always open with the old or the new
// content, temp files of killed writers must not pile up, and a lock left by a dead writer must not block the
// next command for more than a few seconds.
import { jest } from '@jest/globals';
import { existsSync, watch } from 'node:fs';
import { mkdir, readdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import type { Env, Started } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { corpusSize } from './support/sizes.js';
import { describeRun, runVault, startVault } from './support/vault.js';
import { unlockInProcess, type OpenedVault } from './support/vault-state.js';

jest.setTimeout(240_000);

const PASSPHRASE = 'crash e2e passphrase';
// 30 kills are 10 in each phase of killLane; two runs at 60 saw 38-50 new contents, 26-36 old and 27-28 locks left
// behind, so half that size still meets all three, by a wide margin.
const KILLS = corpusSize(30, 200);
// Independent vaults killed side by side: the machine has two cores, and a lane waiting on a process is idle.
const LANES = 2;
const TEMP = /^vault\.[0-9a-f]{16}\.tmp$/;
/** How long core waits before taking over an unrefreshed lock (VaultFile's default staleLockMs). */
const STALE_LOCK_MS = 5_000;

let boxes: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(boxes.map((b) => b.remove()));
});

/** A sandbox with a fixture vault, or with none (`vault: false`) for `vault add` to create. */
async function newBox({ vault = true } = {}): Promise<Sandbox> {
  const box = await sandbox(vault ? { passphrase: PASSPHRASE } : {});
  // The directory is there either way, for the watcher to see the lock appear in.
  if (!vault) await mkdir(box.vaultDir, { mode: 0o700 });
  boxes.push(box);
  return box;
}

function env(box: Sandbox, keys = fakeKeys()): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
}

function killGroup(started: Started): void {
  try {
    process.kill(-started.child.pid!, 'SIGKILL');
  } catch {
    // It finished first.
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function addFully(box: Sandbox, profile: string, keys = fakeKeys()): Promise<number> {
  const started = Date.now();
  const result = await runVault(['add', '--env', '--force', profile], { env: env(box, keys) });
  expectSuccess(result);
  return Date.now() - started;
}

function secretsOf(data: Awaited<ReturnType<OpenedVault['read']>>): Record<string, string> {
  return Object.fromEntries(Object.entries(data.credentials).map(([p, c]) => [p, c.secretAccessKey]));
}

interface LaneStats {
  kills: number;
  finished: number;
  newContent: number;
  oldContent: number;
  lockLeft: number;
  tempsLeft: number;
}

/** Resolves when an entry matching `pattern` appears in the vault directory (inotify: no polling delay), or the run ends. */
function appeared(box: Sandbox, started: Started, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(box.vaultDir, (_, name) => {
      if (name && pattern.test(name) && existsSync(join(box.vaultDir, name))) done();
    });
    function done() {
      watcher.close();
      resolve();
    }
    void started.result.then(done);
  });
}

const LOCK = /^vault\.lock$/;

/** The lock directory's identity, to tell a lock this run left from an older one it never reached. */
async function lockId(box: Sandbox): Promise<string | undefined> {
  try {
    const st = await stat(join(box.vaultDir, 'vault.lock'));
    return `${st.ino}/${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Kills `vault add` in one vault until `kills` runs died by SIGKILL, checking the vault after every run. */
async function killLane(box: Sandbox, kills: number): Promise<LaneStats> {
  await addFully(box, 'seed');
  const vault = await unlockInProcess(box.vaultFile, PASSPHRASE);
  // A full run's length under the current load. A third of the kills land anywhere in a run (start-up, unlock,
  // lock wait, ...); a third within 50 ms of the run taking the lock (reading, sealing); a third within 8 ms of
  // its temp file appearing (writing, fsync, rename, release).
  const full = await addFully(box, 'seed');
  let expected = secretsOf(await vault.read());
  const stats: LaneStats = { kills: 0, finished: 0, newContent: 0, oldContent: 0, lockLeft: 0, tempsLeft: 0 };
  let agedLock: string | undefined;

  for (let i = 0; stats.kills < kills; i++) {
    // A bound on a loop that never kills, not a kill rate: on a busy machine over half the runs may end inside
    // the temp phase's 8 ms (a fresh-clone CI run killed 13 of 31).
    if (i > kills * 4) throw new Error(`only ${stats.kills} of ${i} runs were killed: ${JSON.stringify(stats)}`);
    const profile = `crash-${i}`;
    const keys = fakeKeys();
    const started = startVault(['add', '--env', profile], { env: env(box, keys) });
    const phase = (['anywhere', 'lock', 'temp'] as const)[i % 3]!;
    const delay = phase === 'anywhere' ? Math.random() * full : Math.random() * (phase === 'lock' ? 50 : 8);
    if (phase !== 'anywhere') await appeared(box, started, phase === 'lock' ? LOCK : TEMP);
    await sleep(delay);
    killGroup(started);
    const result = await started.result;
    if (result.signal === 'SIGKILL') stats.kills++;
    else if (result.code === 0) stats.finished++;
    else throw new Error(`run ${i} failed by itself:\n${describeRun(result)}`);

    stats.tempsLeft = (await readdir(box.vaultDir)).filter((n) => TEMP.test(n)).length;
    const after = secretsOf(await vault.read());
    const updated = { ...expected, [profile]: keys.secretAccessKey };
    const isNew = JSON.stringify(after) === JSON.stringify(updated);
    const isOld = JSON.stringify(after) === JSON.stringify(expected);
    expect({ run: i, phase, delay, oldOrNew: isNew || isOld }).toEqual({ run: i, phase, delay, oldOrNew: true });
    if (result.code === 0) expect({ run: i, completedRunStored: isNew }).toEqual({ run: i, completedRunStored: true });
    if (isNew) stats.newContent++;
    else stats.oldContent++;
    expected = after;

    const left = await lockId(box);
    if (left !== undefined && left !== agedLock) {
      stats.lockLeft++;
      // Fast-forward the dead writer's lock past its stale period (the wait itself is measured below), so the
      // loop exercises the takeover without sleeping five seconds each time.
      const past = new Date(Date.now() - 2 * STALE_LOCK_MS);
      await utimes(join(box.vaultDir, 'vault.lock'), past, past);
      agedLock = await lockId(box);
    }
  }
  return stats;
}

describe('vault add killed with SIGKILL at random points', () => {
  it(`always leaves a vault that opens with the old or the new content (${KILLS} kills)`, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, async () => killLane(await newBox(), KILLS / LANES)));
    const total = lanes.reduce((sum, s) => {
      for (const k of Object.keys(sum) as Array<keyof LaneStats>) sum[k] += s[k];
      return sum;
    });
    process.stdout.write(`crash loop: ${JSON.stringify(total)}\n`);
    expect(total.kills).toBeGreaterThanOrEqual(KILLS);
    // The loop must have hit both sides of the rename, and writers holding the lock.
    expect(total.oldContent).toBeGreaterThan(0);
    expect(total.newContent).toBeGreaterThan(0);
    expect(total.lockLeft).toBeGreaterThan(0);

    // Temp files of killed writers are swept by the next writer once a minute old; age them and write once more.
    for (const box of boxes) {
      const temps = (await readdir(box.vaultDir)).filter((n) => TEMP.test(n));
      const past = new Date(Date.now() - 120_000);
      for (const t of temps) await utimes(join(box.vaultDir, t), past, past);
      await addFully(box, 'after-the-crashes');
      expect(await readdir(box.vaultDir)).toEqual(['vault']);
      expect(Object.keys((await (await unlockInProcess(box.vaultFile, PASSPHRASE)).read()).credentials)).toContain('after-the-crashes');
    }
  });
});

describe('a lock left by a writer killed while holding it', () => {
  /** Starts `vault add` and SIGKILLs it the moment its lock directory appears; false if it finished first. */
  async function killHoldingLock(box: Sandbox): Promise<boolean> {
    const started = startVault(['add', '--env', 'doomed'], { env: env(box) });
    await appeared(box, started, LOCK);
    killGroup(started);
    const result = await started.result;
    return result.signal === 'SIGKILL' && existsSync(join(box.vaultDir, 'vault.lock'));
  }

  it('delays the next command by the stale period at most', async () => {
    const waits = await Promise.all(
      [0, 1].map(async () => {
        // A writer creating the vault holds the lock through the key derivation (hundreds of ms with the default
        // KDF), a window a kill lands in even on a busy machine; killed there, it leaves the lock and no vault.
        const box = await newBox({ vault: false });
        const baseline = await addFully(await newBox({ vault: false }), 'seed');
        let held = false;
        for (let attempt = 0; attempt < 10 && !held; attempt++) held = await killHoldingLock(box);
        expect(held).toBe(true);
        const recovered = await addFully(box, 'next');
        // The lock is gone. (A kill that landed after the temp file was created leaves it for the one-minute
        // sweep, which the crash loop above covers.)
        expect((await readdir(box.vaultDir)).filter((n) => !TEMP.test(n))).toEqual(['vault']);
        return { recovered, baseline };
      }),
    );
    process.stdout.write(`lock recovery: ${JSON.stringify(waits)}\n`);
    for (const { recovered, baseline } of waits) {
      // It did wait for the lock (a fresh one is respected) ...
      expect(recovered).toBeGreaterThan(STALE_LOCK_MS / 2);
      // ... and no longer than the stale period plus a normal run and some scheduling slack.
      expect(recovered).toBeLessThan(STALE_LOCK_MS + baseline + 2_500);
    }
  });
});
