import type { ConfigFile } from './types.js';

/** The profiles a config file defines, sorted and unique. */
export function listProfileNames(config: ConfigFile): string[] {
  return [...new Set(config.profiles.keys())].sort();
}
