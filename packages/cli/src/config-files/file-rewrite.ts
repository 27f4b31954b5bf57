// Replacing the AWS config or credentials file after an edit, atomically: a crash leaves the old file or the new one,
// never a half-written one. A credentials file holds keys, so its new version is 0600; the config file keeps its mode,
// as `aws configure set` leaves it.
import { writeFileAtomic } from '@vault/core';
import { readConfigText } from '@vault/profiles';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from '../errors/cli-error.js';
import { FULL_OR_READ_ONLY } from '../errors/file-system.js';


/**
 * Writes `after` in place of the file, provided it still holds `before` (undefined: it did not exist), so an edit
 * made by someone else meanwhile is never overwritten. A symlink is followed: the file it points to is replaced and
 * the link stays, as dotfile managers expect.
 */
export async function rewriteTextFile(path: string, before: string | undefined, after: string, options: { keepMode?: boolean } = {}): Promise<void> {
  const target = await resolveLink(path);
  await checkRegularFile(path);
  await checkWritable(path, target, before !== undefined);
  if ((await readConfigText(target, { forEdit: true })) !== before) {
    throw new CliError('FILE_CHANGED', `${path} changed while vault was editing it, so vault left it as it was`);
  }
  try {
    await fsp.mkdir(dirname(target), { recursive: true, mode: 0o700 });
    // A file vault creates is 0600 either way.
    const mode = options.keepMode && before !== undefined ? (await fsp.stat(target)).mode & 0o777 : 0o600;
    await writeFileAtomic(target, new TextEncoder().encode(after), undefined, mode);
  } catch (err) {
    throw fileError('FILE_WRITE', `cannot write ${path}`, err);
  }
}

/**
 * Keeps a 0600 copy of `text` next to `path`, named after `now` (UTC), and returns its path. Never overwrites: an
 * earlier backup is someone's only copy of their keys.
 */
export async function writeBackup(path: string, text: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const backup = `${await resolveLink(path)}.${stamp}.bak`;
  let handle;
  try {
    handle = await fsp.open(backup, 'wx', 0o600);
  } catch (err) {
    throw fileError('FILE_WRITE', `cannot create the backup ${backup}`, err);
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text);
    await handle.sync();
  } catch (err) {
    throw fileError('FILE_WRITE', `cannot write the backup ${backup}`, err);
  } finally {
    await handle.close();
  }
  return backup;
}

/**
 * Refuses a path that names a device, FIFO, socket or directory (through links): replacing it would put a regular
 * file where `AWS_CONFIG_FILE=/dev/null` was, and everything written to /dev/null after that would land on disk.
 */
export async function checkRegularFile(path: string): Promise<void> {
  let stats;
  try {
    stats = await fsp.stat(path);
  } catch (err) {
    if (isMissing(err)) return;
    throw fileError('FILE_READ', `cannot read ${path}`, err);
  }
  if (!stats.isFile()) throw new CliError('NOT_A_FILE', `${path} is not a regular file, so vault does not replace it`);
}

/**
 * Refuses a file the user may not write (0444, or another's): the atomic rename would replace it all the same, as
 * long as its directory is writable. The AWS CLI writes in place and fails there.
 */
async function checkWritable(path: string, target: string, exists: boolean): Promise<void> {
  if (!exists) return;
  try {
    await fsp.access(target, fsConstants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CliError('FILE_WRITE', `${path} is not writable for you (${code}), so vault leaves it as it is`);
    }
    // A read-only file system has its own entry and fix (fileError), not a permission problem's.
    throw fileError(code === 'EROFS' ? 'FILE_WRITE' : 'FILE_READ', `cannot ${code === 'EROFS' ? 'write' : 'read'} ${path}`, err);
  }
}

async function resolveLink(path: string): Promise<string> {
  try {
    return await fsp.realpath(path);
  } catch (err) {
    if (isMissing(err)) return path;
    throw fileError('FILE_READ', `cannot read ${path}`, err);
  }
}

// As for the AWS CLI, a path through a regular file names a file that does not exist.
function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function fileError(code: string, message: string, err: unknown): CliError {
  const errno = (err as NodeJS.ErrnoException).code;
  // A full or read-only file system is said as such (its own catalogue entry and fix), not as a permission problem.
  const said = errno !== undefined && FULL_OR_READ_ONLY.has(errno) ? errno : code;
  return new CliError(said, `${message} (${errno ?? (err as Error).message})`);
}
