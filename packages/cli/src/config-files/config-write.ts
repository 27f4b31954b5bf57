// Setting keys of one profile in the AWS config file: the one way vault writes it. The edit itself is
// @vault/profiles' (setProfileValues); this reads the file, refuses one the AWS CLI could not read, and replaces it
// atomically unless someone changed it meanwhile. vault processes take turns through a lock beside the file, so
// several `vault add` at once each add their section instead of all but one failing (or one undoing another).
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { withLock } from '@vault/core';
import { parseConfigText, readConfigText, setProfileValues, type Setting } from '@vault/profiles';
import { checkRegularFile, rewriteTextFile } from './file-rewrite.js';

/**
 * Applies the settings to the config file at `path` (creating it, 0600, if missing; an existing one keeps its mode).
 * Returns whether it changed.
 */
export async function writeProfileValues(path: string, profile: string, settings: readonly Setting[]): Promise<boolean> {
  // Before the lock, which would be made beside it (/dev/null.lock).
  await checkRegularFile(path);
  const before = await readConfigText(path, { forEdit: true });
  // A file the AWS CLI could not read either is reported, not edited.
  parseConfigText(before ?? '', path, 'config');
  // Nothing to write: no lock, so a read-only look at the file never waits on another vault process.
  if (setProfileValues(before ?? '', profile, settings) === before) return false;
  // The lock lives beside the file, so its directory must exist first (~/.aws on a new machine).
  await fsp.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  return withLock(path, CONFIG_LOCK_TIMING, async () => {
    const current = await readConfigText(path, { forEdit: true });
    const after = setProfileValues(current ?? '', profile, settings);
    if (after === current) return false;
    await rewriteTextFile(path, current, after, { keepMode: true });
    return true;
  });
}

/** As the vault file's lock: a config edit takes milliseconds, and a killed editor's lock goes stale in seconds. */
const CONFIG_LOCK_TIMING = { timeoutMs: 15_000, staleMs: 5_000 };

/**
 * Adds the profile's section to the config file (with `settings`, where given) for `vault add` and `vault import`,
 * which store keys first: 'not-a-file' when the config is a device or FIFO (AWS_CONFIG_FILE=/dev/null is how some
 * set-ups ignore the config), which is left alone rather than failing a command whose keys are already stored.
 */
export async function addToConfig(path: string, profile: string, settings: readonly Setting[] = []): Promise<'changed' | 'unchanged' | 'not-a-file'> {
  try {
    return (await writeProfileValues(path, profile, settings)) ? 'changed' : 'unchanged';
  } catch (err) {
    if ((err as { code?: unknown }).code === 'NOT_A_FILE') return 'not-a-file';
    throw err;
  }
}
