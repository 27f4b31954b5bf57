import { readFile } from 'node:fs/promises';
import { ConfigReadError } from './errors.js';
import { parseConfigText } from './parse.js';
import type { ConfigFile } from './types.js';

/** Reads and parses a config or credentials file. A file that does not exist is an empty file, as for the AWS CLI. */
export async function readConfigFile(path: string, kind: ConfigFile['kind']): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return parseConfigText('', path, kind);
    throw new ConfigReadError(path, READ_FAILURES[code ?? ''] ?? (err as Error).message);
  }
  return parseConfigText(text, path, kind);
}

const READ_FAILURES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
};
