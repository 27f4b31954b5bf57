import { run } from './main.js';

// Linux writes to pipes, files and terminals synchronously, so exiting here never truncates output; exiting
// explicitly stops idle sockets or timers from keeping a finished command alive. (No top-level await: the bundle
// is a CommonJS file, scripts/bundle.mjs.)
void run(process.argv.slice(2)).then((status) => process.exit(status));
