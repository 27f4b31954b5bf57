/**
 * Renders columns (each an array of its cells, top to bottom) as left-aligned columns separated by two spaces, each
 * line without trailing space.
 *
 * `vault list` renders thousands of rows in code V8 has not optimised yet, and on a virtual machine every page of
 * memory a process touches for the first time costs ~14 us (docs/benchmarks.md, "Start-up, round 7"): so the columns
 * come as arrays rather than an array per row, the text is one join of the cells and shared runs of spaces into an
 * array sized once, and the loops index rather than iterate (an unoptimised for-of makes an object per step). Only a
 * line that can end in whitespace is built as a string of its own, and trimmed.
 */
export function formatTable(header: readonly string[], columns: ReadonlyArray<readonly string[]>): string {
  const last = header.length - 1;
  if (last < 0) return '';
  // A column is as wide as its widest cell, plus the two spaces before the next; the last one is not padded.
  const widths = header.slice(0, last).map((h, c) => {
    const column = columns[c] ?? [];
    let width = h.length;
    for (let row = 0; row < column.length; row++) if (column[row]!.length > width) width = column[row]!.length;
    return width + 2;
  });
  const count = Math.max(...header.map((_, c) => columns[c]?.length ?? 0));
  const spaces: string[] = [];
  const pad = (text: string, width: number): string => (spaces[width - text.length] ??= ' '.repeat(width - text.length));
  // Row -1 is the header.
  const cell = (c: number, row: number): string => (row < 0 ? header[c]! : (columns[c]?.[row] ?? ''));
  const pieces = new Array<string>((count + 1) * (2 * last + 2));
  let at = 0;
  for (let row = -1; row < count; row++) {
    const lastCell = cell(last, row);
    if (lastCell === '' || ENDS_IN_SPACE.test(lastCell)) {
      let text = '';
      for (let c = 0; c < last; c++) text += cell(c, row).padEnd(widths[c]!);
      pieces[at++] = (text + lastCell).trimEnd();
    } else {
      for (let c = 0; c < last; c++) {
        const text = cell(c, row);
        pieces[at++] = text;
        pieces[at++] = pad(text, widths[c]!);
      }
      pieces[at++] = lastCell;
    }
    pieces[at++] = '\n';
  }
  pieces.length = at;
  return pieces.join('');
}

// Made once: a regular-expression literal is a new object each time it is evaluated, here once a row.
const ENDS_IN_SPACE = /\s$/;


/** "1h5m", "12m", "45s": how long a session has left. */
export function formatRemaining(seconds: number): string {
  if (seconds <= 0) return 'expired';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (h) return m ? `${h}h${m}m` : `${h}h`;
  return m ? `${m}m` : `${Math.floor(seconds)}s`;
}
