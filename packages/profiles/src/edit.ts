// Editing the AWS config and credentials files the way a person would: the lines of the keys concerned change, are
// added at the end of the profile's section or go, and every other byte (other sections, comments, spacing, line
// endings) stays as it was. Pure: the CLI reads and writes the files (atomically, conflict-checked).
import { lineEnding, scanIni, splitLines, type IniLine } from './lines.js';
import { profileName, sectionHeader } from './section-names.js';
import type { ConfigFile } from './types.js';

export type Setting = readonly [key: string, value: string];

/**
 * Pure: `text` with each setting applied to `profile`. An existing key is changed where the AWS CLI reads it (its
 * last occurrence across the profile's sections); a new key goes after the last setting of the profile's last
 * section; a missing section is appended (also with no settings: that only makes sure the section exists).
 */
export function setProfileValues(text: string, profile: string, settings: readonly Setting[]): string {
  for (const [key, value] of settings) {
    if (!/^[a-z0-9_]+$/.test(key) || /[\r\n]/.test(value) || value.trim() !== value) {
      throw new Error(`invalid setting ${JSON.stringify(key)}`);
    }
  }
  const eol = lineEnding(text);
  const lines = scanIni(text);
  const inProfile = (line: IniLine) => line.section !== undefined && profileName(line.section, 'config') === profile;
  const replaced = new Map<number, string>();
  const dropped = new Set<number>();
  const added: string[] = [];

  for (const [key, value] of settings) {
    const at = lastIndex(lines, (l) => l.kind === 'key' && l.key === key && inProfile(l));
    if (at < 0) {
      added.push(`${key} = ${value}`);
      continue;
    }
    const line = lines[at] as IniLine;
    replaced.set(at, `${line.indent ?? ''}${key} = ${value}${terminator(line.raw)}`);
    for (let i = at + 1; i < lines.length && lines[i]?.kind !== 'key' && lines[i]?.kind !== 'header'; i++) {
      if (lines[i]?.kind === 'continuation') dropped.add(i);
    }
  }

  const out = lines.map((l, i) => (dropped.has(i) ? '' : (replaced.get(i) ?? l.raw)));
  const lastHeader = lastIndex(lines, (l) => l.kind === 'header' && inProfile(l));
  if (added.length === 0 && lastHeader >= 0) return out.join('');
  if (lastHeader < 0) {
    const body = out.join('');
    return `${body}${separator(body, eol)}${[sectionHeader(profile), ...added].map((l) => l + eol).join('')}`;
  }
  // After the section's last setting, so comments and blank lines that lead into the next section stay with it.
  let last = lastHeader;
  for (let i = lastHeader + 1; i < lines.length && lines[i]?.kind !== 'header'; i++) {
    const kind = lines[i]?.kind;
    if (kind === 'key' || kind === 'continuation' || kind === 'other') last = i;
  }
  if (terminator(out[last] ?? '') === '') out[last] = `${out[last]}${eol}`;
  out[last] = `${out[last]}${added.map((l) => l + eol).join('')}`;
  return out.join('');
}

/**
 * `text` without the settings named `keys` of `profiles` (and any continuation lines of their values); every other
 * byte stays, including the section headers, comments and other keys.
 */
export function removeProfileKeys(text: string, kind: ConfigFile['kind'], profiles: ReadonlySet<string>, keys: ReadonlySet<string>): string {
  return scanIni(text)
    .filter((line) => {
      if (line.kind !== 'key' && line.kind !== 'continuation') return true;
      const profile = line.section === undefined ? undefined : profileName(line.section, kind);
      return !(profile !== undefined && profiles.has(profile) && keys.has(line.key ?? ''));
    })
    .map((line) => line.raw)
    .join('');
}

/** What goes between the file and an appended section: one blank line, as `aws configure set` leaves. */
function separator(body: string, eol: string): string {
  if (body === '') return '';
  if (terminator(body) === '') return eol + eol;
  const lines = splitLines(body);
  return (lines[lines.length - 1] ?? '').trim() === '' ? '' : eol;
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}

function terminator(raw: string): string {
  return /\r\n$|\n$|\r$/.exec(raw)?.[0] ?? '';
}
