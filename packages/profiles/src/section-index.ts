import { AWS_VAULT_SECTION, isAwsVaultSection, profileName, ssoSessionName } from './section-names.js';
import type { ConfigFile, ProfileValues } from './types.js';

// Every `vault exec` reads the whole config file but needs the few sections of one chain. Parsing all 5,000
// sections of a large organisation's config line by line costs as much as the rest of a cached exec, so files of
// the plain shape are indexed instead: one regular-expression pass proves that every line is blank, a comment, a
// header or `key = value` (so the file is one the line parser would accept), a string search finds the headers, and
// a section's settings are parsed when first asked for. Anything that is not plainly shaped (indented lines, which
// may continue a value; CR line ends; Unicode line separators, which JavaScript's `^`/`$` treat as line ends but
// configparser does not) returns undefined and goes through the line parser, which is also what names a mistake.

/**
 * A line that is not blank, a comment, a well-formed header or a key line starting in column 0. Indented content
 * (a continuation line or nested sub-section, which only the line parser reads) is one of them.
 */
const NOT_PLAIN = /^(?![ \t]*(?:[#;]|$)|\[[^\]\n]*[^\]\s][^\]\n]*\][ \t]*(?:[#;][^\n]*)?$|[^\s=:[#;][^=:\n]*[=:])/m;
/** The config read through its section index, or undefined when only the line parser may read this text. */
export function indexPlainConfig(withBom: string, path: string, kind: ConfigFile['kind']): ConfigFile | undefined {
  const text = withBom.charCodeAt(0) === 0xfeff ? withBom.slice(1) : withBom;
  if (/[\r\u2028\u2029]/.test(text) || NOT_PLAIN.test(text)) return undefined;
  // Header offsets by native string search: splitting 20,000 lines into strings costs more in allocation and
  // garbage collection than the rest of the index.
  const starts: number[] = text.startsWith('[') ? [0] : [];
  for (let at = text.indexOf('\n['); at !== -1; at = text.indexOf('\n[', at + 1)) starts.push(at + 1);
  // The line parser rejects a setting before any header.
  if (text.slice(0, starts[0] ?? text.length).split('\n').some(isSetting)) return undefined;

  const bodies = new Map<string, Array<[number, number]>>();
  const lines = new Map<string, number>();
  const ignored = new Map<string, number>();
  const ssoBodies = new Map<string, Array<[number, number]>>();
  const awsVaultBodies: Array<[number, number]> = [];
  let line = 1;
  let counted = 0;
  starts.forEach((start, i) => {
    for (let at = text.indexOf('\n', counted); at !== -1 && at < start; at = text.indexOf('\n', at + 1)) line++;
    counted = start;
    const close = text.indexOf(']', start);
    const name = text.slice(start + 1, close).trim();
    const profile = profileName(name, kind);
    const body: [number, number] = [close + 1, starts[i + 1] ?? text.length];
    if (profile === undefined) {
      const sso = ssoSessionName(name, kind);
      if (sso !== undefined) ssoBodies.set(sso, [...(ssoBodies.get(sso) ?? []), body]);
      else if (isAwsVaultSection(name, kind)) awsVaultBodies.push(body);
      else if (!ignored.has(name)) ignored.set(name, line);
      return;
    }
    const known = bodies.get(profile);
    if (known) known.push(body);
    else {
      bodies.set(profile, [body]);
      lines.set(profile, line);
    }
  });

  const file: ConfigFile = { path, kind, profiles: new SectionMap(text, bodies), lines };
  if (kind === 'config') {
    const awsVault = awsVaultBodies.length > 0 ? new SectionMap(text, new Map([[AWS_VAULT_SECTION, awsVaultBodies]])).get(AWS_VAULT_SECTION) : undefined;
    Object.assign(file, { ignoredSections: ignored, ssoSessions: new SectionMap(text, ssoBodies), ...(awsVault && { awsVault }) });
  }
  return file;
}

function isSetting(row: string): boolean {
  const first = row.trimStart()[0];
  return first !== undefined && first !== '#' && first !== ';';
}

/**
 * Settings of the profile's sections, in file order so that a later value wins, as configparser merges them. A
 * range starts after its header's `]`, so its first row is the rest of the header line: blank or a comment.
 */
function parseBodies(text: string, ranges: ReadonlyArray<[number, number]>): ProfileValues {
  const values = Object.create(null) as ProfileValues;
  for (const [from, to] of ranges) {
    for (const row of text.slice(from, to).split('\n')) {
      if (!isSetting(row)) continue;
      const split = row.search(/[=:]/);
      values[row.slice(0, split).trim().toLowerCase()] = row.slice(split + 1).trim();
    }
  }
  return values;
}

const PENDING = Object.freeze(Object.create(null) as ProfileValues);

/** A Map of every profile whose values are parsed on first read; iterating it parses them all. */
class SectionMap extends Map<string, ProfileValues> {
  constructor(
    private readonly text: string,
    private readonly bodies: ReadonlyMap<string, Array<[number, number]>>,
  ) {
    super();
    for (const profile of bodies.keys()) super.set(profile, PENDING);
  }

  override get(profile: string): ProfileValues | undefined {
    const values = super.get(profile);
    if (values !== PENDING) return values;
    const parsed = parseBodies(this.text, this.bodies.get(profile) ?? []);
    super.set(profile, parsed);
    return parsed;
  }

  private parseAll(): void {
    for (const profile of super.keys()) this.get(profile);
  }

  override entries(): MapIterator<[string, ProfileValues]> {
    this.parseAll();
    return super.entries();
  }

  override values(): MapIterator<ProfileValues> {
    this.parseAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, ProfileValues]> {
    return this.entries();
  }

  override forEach(fn: (value: ProfileValues, key: string, map: Map<string, ProfileValues>) => void, thisArg?: unknown): void {
    this.parseAll();
    super.forEach(fn, thisArg);
  }
}
