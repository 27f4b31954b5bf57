import { AWS_VAULT_SECTION, isAwsVaultSection, isSpace, profileName, ssoSessionName } from './section-names.js';
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
 * (a continuation line or nested sub-section, which only the line parser reads) is one of them. A header's name is
 * matched as blanks, then its first other character, then the rest: one way to match, so an unterminated
 * `[profile bbbb…` line fails in one pass rather than trying every place its first non-blank character could be
 * (quadratic: 4-9 s at 100,000 characters, minutes at 600,000).
 */
const NOT_PLAIN = /^(?![ \t]*(?:[#;]|$)|\[[^\S\n]*[^\]\s][^\]\n]*\][ \t]*(?:[#;][^\n]*)?$|[^\s=:[#;][^=:\n]*[=:])/m;
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

  // A command reads the few sections of one chain: each is found by searching the text for its name, and only what
  // needs every section (listing the profiles, an unknown name's suggestions) indexes all of them, once.
  let whole: WholeIndex | undefined;
  const index = () => (whole ??= wholeIndex(text, kind, starts));
  const profiles = new SectionsByName(text, (section) => profileName(section, kind), () => index().profiles);
  const file: ConfigFile = { path, kind, profiles, lines: new HeaderLines(text, profiles, () => index().lines) };
  if (kind === 'config') {
    const ssoSessions = new SectionsByName(text, (section) => ssoSessionName(section, kind), () => index().ssoSessions);
    const awsVault = new SectionsByName(text, (section) => (isAwsVaultSection(section, kind) ? AWS_VAULT_SECTION : undefined), () => new Map());
    Object.defineProperties(file, {
      ssoSessions: { value: ssoSessions, enumerable: true },
      ignoredSections: { get: () => index().ignored, enumerable: true },
      awsVault: { get: () => awsVault.get(AWS_VAULT_SECTION), enumerable: true },
    });
  }
  return file;
}

interface WholeIndex {
  profiles: ReadonlyMap<string, ProfileValues>;
  lines: ReadonlyMap<string, number>;
  ignored: ReadonlyMap<string, number>;
  ssoSessions: ReadonlyMap<string, ProfileValues>;
}

/**
 * Every section of the file by name, each parsed when first read. One pass over the headers records, per name, the
 * index (into `starts`) of its sections; header lines are counted only when asked for (an error message's, or the
 * ignored sections'). `vault list` of 5,000 profiles needs the names alone, and every object this keeps per section
 * is one a young-generation collection copies (docs/benchmarks.md, "Start-up, round 6").
 */
function wholeIndex(text: string, kind: ConfigFile['kind'], starts: readonly number[]): WholeIndex {
  const profiles = new SectionsAt(text, starts);
  const ssoSessions = new SectionsAt(text, starts);
  const ignored = new Map<string, number>();
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const close = text.indexOf(']', start);
    const plain = kind === 'config' ? plainProfileName(text, start, close) : undefined;
    if (plain !== undefined) {
      profiles.add(plain, i);
      continue;
    }
    const name = text.slice(start + 1, close).trim();
    const profile = profileName(name, kind);
    if (profile !== undefined) {
      profiles.add(profile, i);
      continue;
    }
    const sso = ssoSessionName(name, kind);
    if (sso !== undefined) ssoSessions.add(sso, i);
    else if (!isAwsVaultSection(name, kind) && !ignored.has(name)) ignored.set(name, i);
  }
  let lines: ReadonlyMap<string, number> | undefined;
  let ignoredLines: ReadonlyMap<string, number> | undefined;
  return {
    profiles,
    ssoSessions,
    get lines() {
      return (lines ??= headerLines(text, starts, profiles.firstSections()));
    },
    get ignored() {
      return (ignoredLines ??= headerLines(text, starts, ignored));
    },
  };
}

/**
 * The name in a config header written `[profile NAME]`, as most are, sliced straight from the text: what profileName
 * reads from the trimmed section name, without the two strings it makes on the way. Undefined for any other shape
 * (space after `[` or before `]`, a quoted name, another kind of section), which profileName then reads.
 */
function plainProfileName(text: string, start: number, close: number): string | undefined {
  const from = start + PROFILE_HEADER.length;
  if (close <= from || !text.startsWith(PROFILE_HEADER, start)) return undefined;
  const first = text.charAt(from);
  if (first === '"' || first === "'" || isSpace(first) || isSpace(text.charAt(close - 1))) return undefined;
  return text.slice(from, close);
}

const PROFILE_HEADER = '[profile ';

/** The 1-based line of each name's header, given the index of that header in `starts`, in ascending order. */
function headerLines(text: string, starts: readonly number[], sections: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let counted = 0;
  for (const [name, i] of sections) {
    const start = starts[i]!;
    for (let at = text.indexOf('\n', counted); at !== -1 && at < start; at = text.indexOf('\n', at + 1)) line++;
    counted = start;
    lines.set(name, line);
  }
  return lines;
}

/**
 * Past this many lookups, or this many places to look at for one name (a name inside many others: `a` in a file
 * of `a1` ... `a9999`), the whole index is cheaper: a long include_profile chain reads thousands of sections.
 */
const MAX_LOOKUPS = 64;
const MAX_PLACES = 256;

/**
 * The header lines that `nameOf` reads as `name`, in file order, as [header start, body start, body end], or
 * undefined past MAX_PLACES places to look at. Every header naming `name` holds it as written (trimmed, unquoted),
 * so only the places where `name` occurs on a line that begins with `[`, before its `]`, can be one: each such header
 * is read as the whole index reads it.
 */
function headersNaming(text: string, name: string, nameOf: (section: string) => string | undefined): Array<[number, number, number]> | undefined {
  const found: Array<[number, number, number]> = [];
  if (name === '') return found;
  let lastHeader = -1;
  let places = 0;
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    if (++places > MAX_PLACES) return undefined;
    const start = text.lastIndexOf('\n', at - 1) + 1;
    if (start === lastHeader || text.charCodeAt(start) !== 0x5b) continue;
    const close = text.indexOf(']', start);
    if (close < at + name.length) continue;
    lastHeader = start;
    if (nameOf(text.slice(start + 1, close).trim()) !== name) continue;
    const next = text.indexOf('\n[', close);
    found.push([start, close + 1, next === -1 ? text.length : next + 1]);
  }
  return found;
}

/** A map that answers `get` its own way; listing it, or asking its size, takes `all()`: the whole index. */
abstract class ListedFromIndex<V> implements ReadonlyMap<string, V> {
  constructor(protected readonly all: () => ReadonlyMap<string, V>) {}

  abstract get(name: string): V | undefined;

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    return this.all().size;
  }

  keys(): MapIterator<string> {
    return this.all().keys();
  }

  values(): MapIterator<V> {
    return this.all().values();
  }

  entries(): MapIterator<[string, V]> {
    return this.all().entries();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    this.all().forEach((value, key) => fn.call(thisArg, value, key, this));
  }
}

/**
 * The sections `nameOf` names, looked up one name at a time (headersNaming) until that stops paying (MAX_LOOKUPS,
 * MAX_PLACES), then from the whole index.
 */
class SectionsByName extends ListedFromIndex<ProfileValues> {
  private readonly found = new Map<string, { values?: ProfileValues; headerAt?: number }>();
  /** Set once lookups go to the whole index. */
  whole = false;

  constructor(
    private readonly text: string,
    private readonly nameOf: (section: string) => string | undefined,
    all: () => ReadonlyMap<string, ProfileValues>,
  ) {
    super(all);
  }

  get(name: string): ProfileValues | undefined {
    const found = this.whole ? undefined : this.lookup(name);
    return found ? found.values : this.all().get(name);
  }

  /** Where the first header naming `name` starts, if one does; undefined also once lookups go to the whole index. */
  headerOffset(name: string): number | undefined {
    return this.whole ? undefined : this.lookup(name)?.headerAt;
  }

  /** The name's sections found by search, or undefined when the whole index must answer from now on. */
  private lookup(name: string): { values?: ProfileValues; headerAt?: number } | undefined {
    const known = this.found.get(name);
    if (known) return known;
    const headers = this.found.size < MAX_LOOKUPS ? headersNaming(this.text, name, this.nameOf) : undefined;
    if (!headers) {
      this.whole = true;
      return undefined;
    }
    const result = headers.length === 0 ? {} : { values: parseBodies(this.text, headers.map(([, from, to]) => [from, to])), headerAt: headers[0]![0] };
    this.found.set(name, result);
    return result;
  }
}

/** A profile's 1-based header line, counted when asked for (an error message's). */
class HeaderLines extends ListedFromIndex<number> {
  constructor(
    private readonly text: string,
    private readonly sections: SectionsByName,
    all: () => ReadonlyMap<string, number>,
  ) {
    super(all);
  }

  get(name: string): number | undefined {
    const at = this.sections.headerOffset(name);
    if (at === undefined) return this.sections.whole ? this.all().get(name) : undefined;
    let line = 1;
    for (let nl = this.text.indexOf('\n'); nl !== -1 && nl < at; nl = this.text.indexOf('\n', nl + 1)) line++;
    return line;
  }
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

/**
 * The sections of the whole index by name (`add`ed in file order, each by its index in `starts`), parsed when
 * first read. Its names come from the headers alone; listing its values parses them all, once.
 */
class SectionsAt extends ListedFromIndex<ProfileValues> {
  /** The first section of each name: names are added in file order, so this map is in the order of its headers. */
  private readonly first = new Map<string, number>();
  /** The sections after the first, for the few names that have more than one. */
  private readonly more = new Map<string, number[]>();
  private readonly parsed = new Map<string, ProfileValues>();
  private everyValue: ReadonlyMap<string, ProfileValues> | undefined;

  constructor(
    private readonly text: string,
    private readonly starts: readonly number[],
  ) {
    super(() => (this.everyValue ??= new Map([...this.first.keys()].map((name) => [name, this.get(name)!]))));
  }

  add(name: string, section: number): void {
    if (!this.first.has(name)) this.first.set(name, section);
    else this.more.set(name, [...(this.more.get(name) ?? []), section]);
  }

  firstSections(): ReadonlyMap<string, number> {
    return this.first;
  }

  get(name: string): ProfileValues | undefined {
    const known = this.parsed.get(name);
    if (known) return known;
    const first = this.first.get(name);
    if (first === undefined) return undefined;
    const ranges = [first, ...(this.more.get(name) ?? [])].map((i): [number, number] => {
      const start = this.starts[i]!;
      return [this.text.indexOf(']', start) + 1, this.starts[i + 1] ?? this.text.length];
    });
    const values = parseBodies(this.text, ranges);
    this.parsed.set(name, values);
    return values;
  }

  override get size(): number {
    return this.first.size;
  }

  override keys(): MapIterator<string> {
    return this.first.keys();
  }
}
