import fc from 'fast-check';
import { formatRemaining, formatTable } from './output.js';

/** The table as a person would lay it out, line by line: what formatTable's pieces must add up to. */
function laidOut(header: string[], columns: string[][]): string {
  const count = Math.max(0, ...columns.map((c) => c.length));
  const rows = [header, ...Array.from({ length: count }, (_, i) => header.map((_, c) => columns[c]?.[i] ?? ''))];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 2))).join('').trimEnd()}\n`).join('');
}

test('formatTable aligns columns and trims trailing space', () => {
  expect(formatTable(['Profile', 'Credentials'], [['a', 'longer-name'], ['stored', '-']])).toBe(
    'Profile      Credentials\na            stored\nlonger-name  -\n',
  );
});

test("formatTable pads every column but the last to its widest cell, trims what a blank last cell leaves, and reads a short column's missing cells as blank", () => {
  expect(formatTable(['A', 'Bb', 'C'], [['x', 'yyy', 'only'], ['', 'z'], ['', 'last ']])).toBe('A     Bb  C\nx\nyyy   z   last\nonly\n');
  expect(formatTable([], [['x']])).toBe('');
});

test('formatTable lays out a long table, its rows with and without trailing blanks', () => {
  const names = Array.from({ length: 600 }, (_, i) => `p${i}`);
  const sessions = names.map((n) => (n.endsWith('7') ? '' : '-'));
  expect(formatTable(['Profile', 'Sessions'], [names, sessions])).toBe(laidOut(['Profile', 'Sessions'], [names, sessions]));
});

test('formatTable lays out any table as a person would', () => {
  const text = (maxLength: number) => fc.string({ maxLength }).map((s) => s.replace(/\n/g, ''));
  const cell = fc.oneof(fc.constantFrom('', ' ', '-', 'stored', 'a b', 'x\t', '\u00a0'), text(6));
  const header = fc.array(text(5), { minLength: 1, maxLength: 4 });
  // Up to 300 rows, and sometimes more columns than the header names (those are not shown).
  const columns = fc.array(fc.array(cell, { maxLength: 300 }), { maxLength: 4 });
  fc.assert(
    fc.property(header, columns, (h, c) => {
      expect(formatTable(h, c)).toBe(laidOut(h, c.slice(0, h.length)));
    }),
    { numRuns: 300 },
  );
});

test.each([
  [0, 'expired'],
  [-5, 'expired'],
  [45, '45s'],
  [720, '12m'],
  [3600, '1h'],
  [3900, '1h5m'],
])('formatRemaining(%d) = %s', (s, text) => {
  expect(formatRemaining(s)).toBe(text);
});
