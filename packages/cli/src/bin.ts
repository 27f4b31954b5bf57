import { outputWritten } from './io/standard-streams.js';
import { run } from './main.js';

// Exiting explicitly stops idle sockets or timers from keeping a finished command alive, once the output has left
// the process: Node writes to a full pipe asynchronously (io/standard-streams.ts). (No top-level await: the bundle
// is a CommonJS file, scripts/bundle.mjs.)
// Should the event loop ever empty before run() settles (a promise nothing resolves), vault must not report
// success: EX_SOFTWARE unless run() says otherwise.
process.exitCode = 70;
void run(process.argv.slice(2))
  .then(async (status) => {
    const failed = await outputWritten();
    if (!failed) return status;
    // The output did not arrive (a full disk, a closed descriptor): a script must not take it for a success.
    process.stderr.write(`vault: could not write the output: ${failed.message}\n`);
    return status === 0 ? 1 : status;
  })
  .then((status) => process.exit(status));
