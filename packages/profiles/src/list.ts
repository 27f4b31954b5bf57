import type { ConfigFile } from './types.js';

/** The profiles a config file defines, sorted: the keys of a map, so each once. */
export function listProfileNames(config: ConfigFile): string[] {
  return [...config.profiles.keys()].sort();
}
