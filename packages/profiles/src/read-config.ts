import { readFile } from 'node:fs/promises';
import { ConfigParseError, ConfigReadError } from './errors.js';
import { parseConfigText } from './parse.js';
import type { ConfigFile } from './types.js';

/** Reads and parses a config or credentials file. A file that does not exist is an empty file, as for the AWS CLI. */
export async function readConfigFile(path: string, kind: ConfigFile['kind']): Promise<ConfigFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return parseConfigText('', path, kind);
    throw new ConfigReadError(path, READ_FAILURES[code ?? ''] ?? (err as Error).message);
  }
  // Windows editors save UTF-16 with a byte order mark; decoded as UTF-8 it would read as garbage on line 1.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigParseError(path, 1, 'the file is UTF-16 text; save it as UTF-8');
  }
  return parseConfigText(bytes.toString('utf8'), path, kind);
}

const READ_FAILURES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
};
