import { ConfigParseError } from './errors.js';
import { scanIni } from './lines.js';
import { indexPlainConfig } from './section-index.js';
import { isAwsVaultSection, profileName, ssoSessionName } from './section-names.js';
import type { ConfigFile, ProfileValues } from './types.js';

// A line-by-line reader that accepts what botocore's (configparser-based) loader accepts and rejects what it rejects,
// so a file the AWS CLI reads is read the same way here, and a broken one is reported with its line number. The `ini`
// package is not used: it accepts any line silently and cannot report where a mistake is.

type Kind = ConfigFile['kind'];

export function parseConfigText(text: string, path: string, kind: Kind): ConfigFile {
  return indexPlainConfig(text, path, kind) ?? parseLines(text, path, kind);
}

/** Reads every line; the reference reading, and the one that reports a malformed line. */
export function parseLines(text: string, path: string, kind: Kind): ConfigFile {
  const profiles = new Map<string, ProfileValues>();
  const lines = new Map<string, number>();
  const file: ConfigFile = { path, kind, profiles, lines };
  const ignored = new Map<string, number>();
  const ssoSessions = new Map<string, ProfileValues>();
  let awsVault: ProfileValues | undefined;
  // undefined before the first header; null inside a section that names no profile (e.g. [sso-session x]).
  let section: ProfileValues | null | undefined;

  scanIni(text).forEach((l, i) => {
    const line = i + 1;
    switch (l.kind) {
      case 'blank':
      case 'comment':
        return;
      case 'continuation': {
        // configparser joins continuation lines with newlines; after an empty value (`s3 =`) they are a nested
        // sub-section, which botocore parses further and which vault keeps as text.
        const trimmed = l.content.trim();
        if (section && l.key !== undefined) {
          const previous = section[l.key] ?? '';
          section[l.key] = previous === '' ? trimmed : `${previous}\n${trimmed}`;
        }
        return;
      }
      case 'header': {
        const name = sectionName(l.content.trim(), path, line);
        const profile = profileName(name, kind);
        if (profile === undefined) {
          const sso = ssoSessionName(name, kind);
          if (sso !== undefined) {
            section = ssoSessions.get(sso) ?? (Object.create(null) as ProfileValues);
            ssoSessions.set(sso, section);
          } else if (isAwsVaultSection(name, kind)) {
            section = awsVault ??= Object.create(null) as ProfileValues;
          } else {
            section = null;
            if (!ignored.has(name)) ignored.set(name, line);
          }
          return;
        }
        section = profiles.get(profile);
        if (!section) {
          section = Object.create(null) as ProfileValues;
          profiles.set(profile, section);
          lines.set(profile, line);
        }
        return;
      }
      default: {
        if (section === undefined) throw new ConfigParseError(path, line, 'a setting comes before any [section] header');
        if (l.kind === 'other') throw new ConfigParseError(path, line, 'expected "key = value", a [section] header or a comment');
        if (l.key === '') throw new ConfigParseError(path, line, 'a setting has no key before its "="');
        if (section && l.key !== undefined) section[l.key] = l.value ?? '';
      }
    }
  });

  if (kind === 'config') Object.assign(file, { ignoredSections: ignored, ssoSessions, ...(awsVault && { awsVault }) });
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
