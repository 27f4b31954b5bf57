import { run } from './main.js';

// Linux writes to pipes, files and terminals synchronously, so exiting here never truncates output; exiting
// explicitly stops idle sockets or timers from keeping a finished command alive.
process.exit(await run(process.argv.slice(2)));
