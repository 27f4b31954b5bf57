// Seeded random AWS configs for the differential test: chains of 1-4 role hops over 2-3 accounts, with regions,
// session names, external ids, durations, include_profile / parent_profile, [default]'s region, stored keys on
// role profiles, and the formatting freedom the file format allows. Each config comes twice: as the user writes it
// (what vault reads) and flattened (aws-vault's additions written out: includes copied in, [default]'s region given
// to the profiles that lack one), which is what the AWS CLI must be given to mean the same thing.

export const ACCOUNTS = ['123456789012', '111111111111', '222222222222'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

/** Why the AWS CLI's answer may rightly differ from vault's for a profile (see INTENDED in the test). */
export type Quirk =
  /** A value vault checks before calling STS (and moto does not): a duration out of range, a bad region. */
  | 'invalid-value'
  /** A hop after the first asks for more than 1 h; AWS (not moto) caps role chaining at 1 h, vault says so first. */
  | 'chained-duration'
  /** source_profile without role_arn: aws-vault uses the source's credentials; the CLI ignores source_profile. */
  | 'source-without-role';

export interface GeneratedProfile {
  name: string;
  /** Keys stored in the vault (and, for the CLI, written to the plaintext credentials file). */
  keys: boolean;
  /** Settings exactly as vault sees them (before includes). */
  settings: Record<string, string>;
  quirks: Quirk[];
}

export interface GeneratedConfig {
  seed: number;
  profiles: GeneratedProfile[];
  /** [default]'s settings, if the config has a [default] section. */
  defaults?: Record<string, string>;
  /** AWS_DEFAULT_REGION for both sides, if set. */
  envRegion?: string;
  /** The config file vault reads. */
  text: string;
  /** The same config with aws-vault's include and [default] rules written out, for the AWS CLI. */
  flatText: string;
}

/** mulberry32: small, fast and good enough to spread test cases; the same seed gives the same configs. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateConfig(seed: number): GeneratedConfig {
  const rnd = random(seed);
  const chance = (p: number) => rnd() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const accounts = ACCOUNTS.slice(0, chance(0.5) ? 2 : 3);

  const profiles: GeneratedProfile[] = [];
  const hopsOf = new Map<string, number>(); // role hops from the profile down to its keys
  const add = (p: GeneratedProfile, hops: number) => {
    profiles.push(p);
    hopsOf.set(p.name, hops);
  };

  for (let i = 0; i < (chance(0.5) ? 2 : 1); i++) {
    const settings: Record<string, string> = {};
    const quirks: Quirk[] = [];
    if (chance(0.3)) settings.region = pick(REGIONS);
    // A bad region on a profile that only lends its keys must not break the roles assumed with them.
    else if (chance(0.1)) (settings.region = 'Europe'), quirks.push('invalid-value');
    add({ name: `keys${i}`, keys: true, settings, quirks }, 0);
  }

  // A template other profiles include: aws-vault's include_profile (or parent_profile).
  const template: Record<string, string> = {};
  if (chance(0.6)) template.region = pick(REGIONS);
  if (chance(0.5)) template.role_session_name = `tpl-session-${seed % 1000}`;
  if (Object.keys(template).length > 0) add({ name: 'tpl', keys: false, settings: { ...template }, quirks: [] }, -1);

  const roles = 2 + Math.floor(rnd() * 4);
  for (let i = 0; i < roles; i++) {
    const name = `role${i}`;
    const sources = profiles.filter((p) => (hopsOf.get(p.name) ?? -1) >= 0 && (hopsOf.get(p.name) ?? 0) < 4);
    const source = pick(sources);
    const settings: Record<string, string> = {
      source_profile: source.name,
      role_arn: `arn:aws:iam::${pick(accounts)}:role/r-${name}`,
    };
    const quirks: Quirk[] = [];
    let keys = false;
    let hops = (hopsOf.get(source.name) ?? 0) + 1;
    if (chance(0.08)) {
      // The AWS CLI idiom: the profile's own keys, then its own role.
      settings.source_profile = name;
      keys = true;
      hops = 1;
    } else if (chance(0.12)) {
      // Keys stored for a role profile: used as keys when another profile names it as source (the CLI's rule).
      keys = true;
    }
    if (chance(0.35)) settings.role_session_name = `s-${name}-${seed % 997}`;
    if (chance(0.2)) settings.external_id = `ext-${seed}-${i}`;
    if (chance(0.25)) settings.duration_seconds = String(pick([900, 1800, 3600, 7200]));
    if (chance(0.04)) (settings.duration_seconds = '600'), quirks.push('invalid-value');
    if (chance(0.35)) settings.region = pick(REGIONS);
    else if (chance(0.1)) settings.region = '';
    if (template.region !== undefined || template.role_session_name !== undefined) {
      if (chance(0.25)) settings[chance(0.7) ? 'include_profile' : 'parent_profile'] = 'tpl';
    }
    add({ name, keys, settings, quirks }, hops);
  }

  // Profiles whose resolution must fail on both sides, and aws-vault's source_profile without role_arn.
  if (chance(0.15)) {
    add({ name: 'orphan', keys: false, settings: { source_profile: 'nowhere', role_arn: `arn:aws:iam::${accounts[0]}:role/o` }, quirks: [] }, 1);
  }
  if (chance(0.1)) {
    const arn = `arn:aws:iam::${accounts[0]}:role/loop`;
    add({ name: 'loop-a', keys: false, settings: { source_profile: 'loop-b', role_arn: arn }, quirks: [] }, 1);
    add({ name: 'loop-b', keys: false, settings: { source_profile: 'loop-a', role_arn: arn }, quirks: [] }, 1);
  }
  if (chance(0.15)) {
    add({ name: 'alias', keys: false, settings: { source_profile: 'keys0' }, quirks: ['source-without-role'] }, 0);
  }

  const defaults = chance(0.35) ? { region: pick(REGIONS) } : undefined;
  const envRegion = chance(0.3) ? pick(REGIONS) : undefined;
  markChainedDurations(profiles);
  return {
    seed,
    profiles,
    ...(defaults && { defaults }),
    ...(envRegion && { envRegion }),
    text: render(profiles, defaults, rnd, false),
    flatText: render(profiles, defaults, rnd, true),
  };
}

/** Marks profiles whose chain has a hop after the first asking for more than an hour (walking it as the CLI does). */
function markChainedDurations(profiles: GeneratedProfile[]): void {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  for (const target of profiles) {
    const hops: GeneratedProfile[] = []; // target first
    const seen = new Set<string>();
    for (let p = byName.get(target.name); p && !seen.has(p.name); p = byName.get(p.settings.source_profile ?? '')) {
      seen.add(p.name);
      if ((p !== target && p.keys) || !p.settings.role_arn) break;
      hops.push(p);
      if (p.settings.source_profile === p.name) break;
    }
    // The lowest hop is assumed with the base credentials; every one above it with a role session.
    if (hops.slice(0, -1).some((h) => Number(h.settings.duration_seconds ?? 0) > 3600)) target.quirks.push('chained-duration');
  }
}

function render(profiles: GeneratedProfile[], defaults: Record<string, string> | undefined, rnd: () => number, flat: boolean): string {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  const out: string[] = [];
  if (defaults) out.push('[default]', ...Object.entries(defaults).map(([k, v]) => line(k, v, rnd)), '');
  for (const p of profiles) {
    const settings = flat ? flatten(p, byName, defaults) : p.settings;
    if (p.keys && Object.keys(settings).length === 0 && rnd() < 0.5) continue; // keys need no section
    if (rnd() < 0.2) out.push(rnd() < 0.5 ? '# generated profile' : '; generated profile');
    out.push(`[profile ${p.name}]`, ...Object.entries(settings).map(([k, v]) => line(k, v, rnd)), '');
  }
  return out.join('\n');
}

/** aws-vault's reading written out: the included profile's settings under the profile's own, then [default]'s region. */
function flatten(p: GeneratedProfile, byName: Map<string, GeneratedProfile>, defaults: Record<string, string> | undefined): Record<string, string> {
  const own = { ...p.settings };
  const included = own.include_profile ?? own.parent_profile;
  delete own.include_profile;
  delete own.parent_profile;
  const merged: Record<string, string> = { ...(included ? byName.get(included)?.settings : {}) };
  for (const [k, v] of Object.entries(own)) if (!(k === 'region' && v === '' && merged.region)) merged[k] = v;
  if (!merged.region && defaults?.region) merged.region = defaults.region;
  if (merged.region === '') delete merged.region;
  return merged;
}

/** `key = value` in one of the spellings the format allows: spacing, `:` for `=`, upper-case key names. */
function line(key: string, value: string, rnd: () => number): string {
  const name = rnd() < 0.1 ? key.toUpperCase() : key;
  const form = rnd();
  if (form < 0.15) return `${name}=${value}`;
  if (form < 0.25) return `${name} : ${value}`;
  if (form < 0.3) return `${name}\t=\t${value}`;
  return `${name} = ${value}`;
}
