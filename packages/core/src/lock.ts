// The cross-process write lock: a `<vault>.lock` directory (proper-lockfile) whose mtime the holder refreshes,
// so the lock of a SIGKILLed process goes stale within seconds and is taken over.
import { VaultLockedError } from './errors.js';
import { removeStaleTemps } from './atomic-write.js';

export interface LockTiming {
  /** Give up waiting for another holder after this long. */
  timeoutMs: number;
  /** A lock not refreshed for this long belongs to a dead process (proper-lockfile's floor is 2 s). */
  staleMs: number;
}

export interface HeldLock {
  /** Throws VaultLockedError if another process took the lock over while we held it (we stalled too long). */
  assertHeld(): void;
}

const STALE_TEMP_MS = 60_000;

/** Runs `fn` while holding the lock on `path`, then releases it even if `fn` fails. */
export async function withLock<T>(path: string, timing: LockTiming, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lockfile = (await import('./lockfile-lib.js')).default;
  let compromised = false;
  const options = {
    realpath: false,
    lockfilePath: `${path}.lock`,
    stale: timing.staleMs,
    update: Math.floor(timing.staleMs / 2),
    retries: 0,
    // proper-lockfile's default throws from a timer, which would crash the process; recording it lets the
    // writer refuse to rename over whatever the new holder wrote.
    onCompromised: () => {
      compromised = true;
    },
  };
  const deadline = Date.now() + timing.timeoutMs;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(path, options);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Something that is not a lock directory at the lock's path (a file someone made) is never released by
      // anyone: say what it is instead of proper-lockfile's errno once it is taken for stale.
      if (code === 'ENOTDIR') throw new VaultLockedError(path, `${options.lockfilePath} is not the lock directory vault makes; remove it if no vault command is running`);
      if (code !== 'ELOCKED') throw err;
      const left = deadline - Date.now();
      if (left <= 0) {
        const waited = Math.round(timing.timeoutMs / 1000);
        throw new VaultLockedError(path, `another vault process held its lock for over ${waited} s`);
      }
      // Jitter keeps a crowd of waiters from retrying in lockstep.
      await sleep(Math.min(left, 20 + Math.random() * 80));
    }
  }
  try {
    await removeStaleTemps(path, STALE_TEMP_MS);
    return await fn({
      assertHeld() {
        if (compromised) {
          throw new VaultLockedError(path, 'its lock was taken over by another process during the write');
        }
      },
    });
  } finally {
    await release().catch(() => {});
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
