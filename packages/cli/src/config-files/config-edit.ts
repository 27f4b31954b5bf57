import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from '../errors/cli-error.js';

/** The section header the AWS CLI reads for a profile in the config file. */
export function sectionHeader(profile: string): string {
  return profile === 'default' ? '[default]' : `[profile ${profile}]`;
}

/** Pure: whether the config text already has a section for the profile (spacing inside brackets is allowed). */
export function hasSection(text: string, profile: string): boolean {
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  return text.split(/\r?\n/).some((line) => {
    const m = /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/.exec(line);
    return m !== null && wanted.includes((m[1] ?? '').replace(/\s+/g, ' '));
  });
}

/**
 * Appends an empty section for the profile when the config file has none, leaving every existing byte as it was.
 * Returns whether it wrote anything.
 */
export async function ensureConfigSection(path: string, profile: string): Promise<boolean> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw writeError(path, err);
  }
  if (hasSection(text, profile)) return false;
  // A blank line before the new section, as `aws configure` and `vault config set-role` write one.
  const separator = text === '' ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await appendFile(path, `${separator}${sectionHeader(profile)}\n`, { mode: 0o600 });
  } catch (err) {
    throw writeError(path, err);
  }
  return true;
}

function writeError(path: string, err: unknown): CliError {
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
  return new CliError('CONFIG_WRITE', `cannot update ${path} (${code})`);
}
