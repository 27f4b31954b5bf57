import { InvalidProfileValueError, ProfileCycleError } from './errors.js';
import type { ConfigFile } from './types.js';
import { checkValue } from './validate.js';

/** A profile's value together with the profile whose section holds it (itself, or one it includes). */
export interface Setting {
  value: string;
  from: string;
}

export type Settings = Map<string, Setting>;

/**
 * Reads profiles with include_profile applied: a profile has the keys of the one it includes, its own winning, and
 * inclusion nests. Results are memoised so a long chain whose profiles include one another stays linear.
 */
export function settingsReader(config: ConfigFile): (profile: string) => Settings | undefined {
  const memo = new Map<string, Settings>();
  return (profile) => {
    if (!config.profiles.has(profile)) return undefined;
    // Walk the include links down to a profile already known (or one that includes nothing), then fold back up.
    const pending: string[] = [];
    const seen = new Set<string>();
    let inherited: Settings | undefined;
    for (let name: string | undefined = profile; name !== undefined; ) {
      inherited = memo.get(name);
      if (inherited) break;
      if (seen.has(name)) throw new ProfileCycleError([...pending, name], 'include_profile');
      pending.push(name);
      seen.add(name);
      name = includedProfile(config, name);
    }
    let settings: Settings = inherited ?? new Map();
    for (const name of pending.reverse()) {
      settings = new Map(settings);
      for (const [key, value] of Object.entries(config.profiles.get(name) ?? {})) {
        settings.set(key, { value, from: name });
      }
      memo.set(name, settings);
    }
    return settings;
  };
}

/** The validated include_profile of `name`, if it has one. */
function includedProfile(config: ConfigFile, name: string): string | undefined {
  const included = config.profiles.get(name)?.include_profile;
  if (included === undefined) return undefined;
  const fail = (reason: string) =>
    new InvalidProfileValueError(name, 'include_profile', included, reason, config.path, config.lines.get(name));
  const reason = checkValue('include_profile', included);
  if (reason) throw fail(reason);
  if (!config.profiles.has(included)) throw fail(`there is no section for profile ${included}`);
  return included;
}
