// Setting keys of one profile in the AWS config file: the one way vault writes it. The edit itself is
// @vault/profiles' (setProfileValues); this reads the file, refuses one the AWS CLI could not read, and replaces it
// atomically unless someone changed it meanwhile.
import { parseConfigText, readConfigText, setProfileValues, type Setting } from '@vault/profiles';
import { rewriteTextFile } from './file-rewrite.js';

/** Applies the settings to the config file at `path` (creating it, 0600, if missing). Returns whether it changed. */
export async function writeProfileValues(path: string, profile: string, settings: readonly Setting[]): Promise<boolean> {
  const before = await readConfigText(path);
  // A file the AWS CLI could not read either is reported, not edited.
  parseConfigText(before ?? '', path, 'config');
  const after = setProfileValues(before ?? '', profile, settings);
  if (after === before) return false;
  await rewriteTextFile(path, before, after);
  return true;
}

/** Adds an empty section for the profile when the config file has none. Returns whether it wrote anything. */
export async function ensureConfigSection(path: string, profile: string): Promise<boolean> {
  return writeProfileValues(path, profile, []);
}
