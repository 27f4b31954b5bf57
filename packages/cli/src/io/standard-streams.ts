// process.stdout and process.stderr as vault writes to them, and the wait for what was written before the process
// exits. Node writes to a pipe asynchronously once the pipe is full: `vault list --profiles` of 20,000 profiles into
// `(sleep 0.3; wc -l)` delivered 9,362 lines when the process exited straight after the write. The streams are
// reached through these functions so that the wait covers the ones a run used and creates none it did not (Node
// builds each on first use, a few milliseconds a `vault exec` that prints nothing should not pay).
const used = new Set<NodeJS.WriteStream>();

export function standardOutput(): NodeJS.WriteStream {
  used.add(process.stdout);
  return process.stdout;
}

export function standardError(): NodeJS.WriteStream {
  used.add(process.stderr);
  return process.stderr;
}

/**
 * Resolves once everything written so far to the streams above has left the process (or failed to: a reader that
 * went away). A write's callback runs after the writes queued before it.
 */
export async function outputWritten(): Promise<void> {
  await Promise.all([...used].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
}
