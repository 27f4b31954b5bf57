import { run } from './main.js';

// Linux writes to pipes, files and terminals synchronously, so exiting here never truncates output; exiting
// explicitly stops idle sockets or timers from keeping a finished command alive. (No top-level await: the bundle
// is a CommonJS file, scripts/bundle.mjs.)
// Should the event loop ever empty before run() settles (a promise nothing resolves), vault must not report
// success: EX_SOFTWARE unless run() says otherwise.
process.exitCode = 70;
void run(process.argv.slice(2)).then((status) => process.exit(status));
