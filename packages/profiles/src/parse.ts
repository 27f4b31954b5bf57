import { ConfigParseError } from './errors.js';
import { indexPlainConfig } from './section-index.js';
import { profileName } from './section-names.js';
import type { ConfigFile, ProfileValues } from './types.js';

// A line-by-line reader that accepts what botocore's (configparser-based) loader accepts and rejects what it rejects,
// so a file the AWS CLI reads is read the same way here, and a broken one is reported with its line number. The `ini`
// package is not used: it accepts any line silently and cannot report where a mistake is.

type Kind = ConfigFile['kind'];

/** The last key read, so that more-indented lines below it continue its value (or form its sub-section). */
interface OpenKey {
  values: ProfileValues | undefined;
  name: string;
  indent: number;
}

export function parseConfigText(text: string, path: string, kind: Kind): ConfigFile {
  return indexPlainConfig(text, path, kind) ?? parseLines(text, path, kind);
}

/** Reads every line; the reference reading, and the one that reports a malformed line. */
export function parseLines(text: string, path: string, kind: Kind): ConfigFile {
  const file: ConfigFile = { path, kind, profiles: new Map(), lines: new Map() };
  const ignored = new Map<string, number>();
  // undefined before the first header; null inside a section that names no profile (e.g. [sso-session x]).
  let section: ProfileValues | null | undefined;
  let open: OpenKey | undefined;

  const rows = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i] ?? '';
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const indent = raw.length - raw.trimStart().length;

    if (open && indent > open.indent) {
      // configparser joins continuation lines with newlines; after an empty value (`s3 =`) they are a nested
      // sub-section, which botocore parses further and which vault keeps as text.
      if (open.values) {
        const previous = open.values[open.name] ?? '';
        open.values[open.name] = previous === '' ? trimmed : `${previous}\n${trimmed}`;
      }
      continue;
    }

    if (trimmed.startsWith('[')) {
      const name = sectionName(trimmed, path, line);
      open = undefined;
      const profile = profileName(name, kind);
      if (profile === undefined) {
        section = null;
        if (!ignored.has(name)) ignored.set(name, line);
        continue;
      }
      section = file.profiles.get(profile);
      if (!section) {
        section = Object.create(null) as ProfileValues;
        file.profiles.set(profile, section);
        file.lines.set(profile, line);
      }
      continue;
    }

    if (section === undefined) throw new ConfigParseError(path, line, 'a setting comes before any [section] header');
    // dotAll: a value may hold U+2028/U+2029, which `.` alone does not match but configparser keeps.
    const match = /^([^=:]*)[=:](.*)$/s.exec(trimmed);
    if (!match) throw new ConfigParseError(path, line, 'expected "key = value", a [section] header or a comment');
    const key = (match[1] ?? '').trim().toLowerCase();
    if (key === '') throw new ConfigParseError(path, line, 'a setting has no key before its "="');
    const values = section ?? undefined;
    if (values) values[key] = (match[2] ?? '').trim();
    open = { values, name: key, indent };
  }

  if (kind === 'config') file.ignoredSections = ignored;
  return file;
}

/** The text between the brackets of a header line, trimmed. */
function sectionName(trimmed: string, path: string, line: number): string {
  const close = trimmed.indexOf(']');
  if (close < 0) throw new ConfigParseError(path, line, 'section header has no closing "]"');
  const rest = trimmed.slice(close + 1).trim();
  // A config pasted from a web page often arrives flattened onto one line; saying so beats silently dropping it.
  if (rest !== '' && !rest.startsWith('#') && !rest.startsWith(';')) {
    const reason = 'text follows the section header on the same line; put each setting on its own line';
    throw new ConfigParseError(path, line, reason);
  }
  const name = trimmed.slice(1, close).trim();
  if (name === '') throw new ConfigParseError(path, line, 'section header has no name');
  return name;
}
