// The errno codes of a file system refusing to store something. Each is also a catalogue entry of its own
// (catalogue.ts; its test holds the two together), which is how a command failing on one says what to do.

/** The file system as a whole cannot take the write: full, over quota, or mounted read-only. */
export const FULL_OR_READ_ONLY: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/** Those, and a file or directory that is not ours to write. */
export const WRITE_REFUSED: ReadonlySet<string> = new Set([...FULL_OR_READ_ONLY, 'EACCES', 'EPERM']);
