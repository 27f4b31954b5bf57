// process.stdout and process.stderr as vault writes to them, and the wait for what was written before the process
// exits. Node writes to a pipe asynchronously once the pipe is full: `vault list --profiles` of 20,000 profiles into
// `(sleep 0.3; wc -l)` delivered 9,362 lines when the process exited straight after the write. The streams are
// reached through these functions so that the wait covers the ones a run used and creates none it did not (Node
// builds each on first use, a few milliseconds a `vault exec` that prints nothing should not pay).
const used = new Set<NodeJS.WriteStream>();
/** Write failures other than a reader gone away, first one first. */
const failures: Error[] = [];

function watched(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (!used.has(stream)) {
    used.add(stream);
    // A reader that went away (`vault list | head -1`) is the end of the output, as SIGPIPE is for other tools, not
    // an error (and without a listener Node would throw it). Any other failure is kept for outputWritten().
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') failures.push(err);
    });
  }
  return stream;
}

export function standardOutput(): NodeJS.WriteStream {
  return watched(process.stdout);
}

export function standardError(): NodeJS.WriteStream {
  return watched(process.stderr);
}

/**
 * Resolves once everything written so far to the streams above has left the process, or failed to: with the first
 * failure other than a reader gone away (EPIPE), if any. A write's callback runs after the writes queued before it.
 */
export async function outputWritten(): Promise<Error | undefined> {
  await Promise.all(
    [...used].map((stream) => new Promise<void>((resolve) => (stream.writable ? stream.write('', () => resolve()) : resolve()))),
  );
  // A file or device write fails synchronously, but Node emits its 'error' on a later tick than this callback
  // (`vault export > /dev/full` exited 0): let it arrive.
  if (used.size > 0) await new Promise((resolve) => setImmediate(resolve));
  return failures[0];
}
