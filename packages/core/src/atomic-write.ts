// Replacing the vault so a crash at any instant leaves either the old file or the new one, never a mix.
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.tmp';

async function tempPath(path: string): Promise<string> {
  // node:crypto loads on the first write, not on every read-only command (it costs ~5 ms of a cached `vault exec`).
  const { randomBytes } = await import('node:crypto');
  return `${path}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`;
}

function isOurTemp(path: string, name: string): boolean {
  const prefix = `${basename(path)}.`;
  if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) return false;
  return /^[0-9a-f]{16}$/.test(name.slice(prefix.length, -TEMP_SUFFIX.length));
}

/**
 * Temp file in the same directory (so rename is atomic), created exclusively with mode 0600 (or `mode`), fsynced,
 * renamed over the target, then the directory fsynced so the rename itself survives a power cut.
 * `beforeRename` gets a last chance to abort (the caller checks its lock is still held).
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  beforeRename: () => void = () => {},
  mode = 0o600,
): Promise<void> {
  const temp = await tempPath(path);
  const handle = await fsp.open(temp, 'wx', 0o600);
  try {
    try {
      await handle.chmod(mode); // the umask may have narrowed it further
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    beforeRename();
    await fsp.rename(temp, path);
  } catch (err) {
    await fsp.unlink(temp).catch(() => {});
    throw err;
  }
  await syncDir(dirname(path));
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some filesystems cannot fsync a directory; the rename has still happened.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'ENOTSUP') throw err;
  } finally {
    await handle.close();
  }
}

/** Deletes temp files that a killed writer left next to `path`, once older than `maxAgeMs`. */
export async function removeStaleTemps(path: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  const dir = dirname(path);
  const removed: string[] = [];
  for (const name of await fsp.readdir(dir)) {
    if (!isOurTemp(path, name)) continue;
    const temp = join(dir, name);
    try {
      const st = await fsp.lstat(temp);
      if (st.isFile() && st.mtimeMs < now - maxAgeMs) {
        await fsp.unlink(temp);
        removed.push(temp);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}
