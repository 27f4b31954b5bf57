/**
 * Renders rows as left-aligned columns separated by two spaces, each line without trailing space. Loops rather than
 * map/join chains, and a line is trimmed only where it can end in whitespace (trimming flattens it): `vault list`
 * renders thousands of rows, and every intermediate array and string is work for the young-generation collector
 * (docs/benchmarks.md, "Start-up, round 6").
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let i = 0; i < widths.length && i < row.length; i++) if (row[i]!.length > widths[i]!) widths[i] = row[i]!.length;
  }
  const line = (cells: readonly string[]): string => {
    const last = cells.length - 1;
    if (last < 0) return '';
    let text = '';
    for (let i = 0; i < last; i++) text += `${cells[i]!.padEnd(widths[i] ?? 0)}  `;
    const end = cells[last]!;
    return end === '' || /\s$/.test(end) ? (text + end).trimEnd() : text + end;
  };
  const lines = new Array<string>(rows.length + 1);
  lines[0] = line(header);
  for (let i = 0; i < rows.length; i++) lines[i + 1] = line(rows[i]!);
  return `${lines.join('\n')}\n`;
}

/** "1h5m", "12m", "45s": how long a session has left. */
export function formatRemaining(seconds: number): string {
  if (seconds <= 0) return 'expired';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (h) return m ? `${h}h${m}m` : `${h}h`;
  return m ? `${m}m` : `${Math.floor(seconds)}s`;
}
