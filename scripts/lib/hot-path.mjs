// What a hot command (a cached, unlocked `vault exec`, `export`, `list`) must not load, and the means to see what one
// run of the binary loaded. Shared by the bench's check (scripts/bench.mjs) and the end-to-end test of the agent.
import { fileURLToPath } from 'node:url';

/**
 * Node built-ins a hot command has no use for: the promise-based file system module (with the readline interface it
 * loads) would mean a blocking read of a small file became a trip through libuv's thread pool (docs/benchmarks.md,
 * "Start-up, round 5"); node:os, whose home directory $HOME gives, is ~12 kB of what a cached `vault exec` allocates,
 * close to the amount at which V8 starts collecting (docs/benchmarks.md, "Round 8").
 */
export const UNNEEDED_BUILTINS = ['fs/promises', 'internal/fs/promises', 'readline', 'internal/readline/interface', 'os'];

const bundleScript = fileURLToPath(new URL('../../packages/cli/bin/bundle-script.cjs', import.meta.url));

/**
 * The source of a `node --require` hook that writes to `out`, as the process exits, what it loaded: Node's own list
 * of built-ins (`process.moduleLoadList`), the files bin/bundle-script.cjs compiled from bundle/ (libraries), and
 * which of process.stdin, stdout and stderr it built (Node builds each on first use; at a terminal, a tty stream).
 */
export function loadedModulesHook(out) {
  return `const stdio = [];
for (const name of ['stdin', 'stdout', 'stderr']) {
  const own = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, enumerable: own.enumerable, get() { stdio.push(name); Object.defineProperty(process, name, own); return own.get.call(process); } });
}
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ builtins: process.moduleLoadList, bundled: [...(require.cache[${JSON.stringify(bundleScript)}]?.exports.bundled?.keys() ?? [])], stdio })));\n`;
}

/** The UNNEEDED_BUILTINS among a `process.moduleLoadList`. */
export function unneededBuiltins(moduleLoadList) {
  const loaded = new Set(moduleLoadList);
  return UNNEEDED_BUILTINS.filter((name) => loaded.has(`NativeModule ${name}`));
}
