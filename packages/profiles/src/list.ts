import type { ConfigFile } from './types.js';

/**
 * The profiles a config file defines as aws-vault lists them (`list --profiles`, its profile picker): each once, in
 * the order the file first names them, without a `[default]` that sets nothing.
 */
export function configProfileNames(config: ConfigFile): string[] {
  return [...config.profiles.keys()].filter((name) => name !== 'default' || Object.keys(config.profiles.get(name) ?? {}).length > 0);
}

/** The profiles a config file defines, sorted: the keys of a map, so each once. */
export function listProfileNames(config: ConfigFile): string[] {
  return [...config.profiles.keys()].sort();
}
