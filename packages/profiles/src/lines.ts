// The one line classifier of the AWS config and credentials dialect. The parser (parse.ts) reads its lines through it
// and the editors (edit.ts) change them through it, so an edit lands on exactly the key the parser, like the AWS CLI,
// reads: blank and comment lines are transparent, a more-indented line continues the key above it, a `[` line opens
// a section. Joining `raw` of every line gives the file back byte for byte.

export type LineKind = 'blank' | 'comment' | 'header' | 'key' | 'continuation' | 'other';

export interface IniLine {
  /** The line as written, with its terminator (none on a last line without one). */
  raw: string;
  /** The line without its terminator (nor, on the first line, a byte-order mark). */
  content: string;
  kind: LineKind;
  /** Text between the brackets of the section this line is in (or opens), trimmed; undefined before any header. */
  section: string | undefined;
  /** Lower-cased key name, for `key` lines and for the `continuation` lines of that key. */
  key?: string;
  /** Leading whitespace of a `key` line. */
  indent?: string;
  /** The trimmed text after the first `=` or `:` of a `key` line. */
  value?: string;
}

/** Splits text into lines that keep their own terminators (\n, \r\n or \r). */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  // Sticky, and matching at least one character while text remains: each line is scanned once. A global search
  // would retry a line without a terminator from each of its offsets, quadratic on a megabyte-long line.
  const pattern = /[^\r\n]*(?:\r\n|\n|\r)?/y;
  while (pattern.lastIndex < text.length) lines.push((pattern.exec(text) as RegExpExecArray)[0]);
  return lines;
}

/** Classifies every line of `text`. */
export function scanIni(text: string): IniLine[] {
  let section: string | undefined;
  let open: { key: string; width: number } | undefined;
  return splitLines(text).map((raw, i) => {
    const content = (i === 0 ? raw.replace(/^\uFEFF/, '') : raw).replace(/[\r\n]+$/, '');
    const trimmed = content.trim();
    if (trimmed === '') return { raw, content, kind: 'blank', section };
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) return { raw, content, kind: 'comment', section };
    const indent = content.slice(0, content.length - content.trimStart().length);
    if (open && indent.length > open.width) return { raw, content, kind: 'continuation', section, key: open.key };
    if (trimmed.startsWith('[')) {
      open = undefined;
      const close = trimmed.indexOf(']');
      section = close < 0 ? trimmed.slice(1).trim() : trimmed.slice(1, close).trim();
      return { raw, content, kind: 'header', section };
    }
    const eq = /[=:]/.exec(trimmed);
    if (!eq) return { raw, content, kind: 'other', section };
    const key = trimmed.slice(0, eq.index).trim().toLowerCase();
    open = { key, width: indent.length };
    return { raw, content, kind: 'key', section, key, indent, value: trimmed.slice(eq.index + 1).trim() };
  });
}

/** The line terminator a file mostly uses, for lines added to it. */
export function lineEnding(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}
