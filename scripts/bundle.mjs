// Bundles the compiled CLI (packages/cli/dist, from `tsc -b`) and the workspace packages it imports into a few
// files under packages/cli/bundle, which bin/vault.js runs. Loading ~40 small ES modules costs a resolution, a
// read and a compile each, about a sixth of a cached `vault exec` (docs/benchmarks.md). npm dependencies stay
// external, loaded from node_modules as before; code splitting keeps every `await import()` lazy, so a command
// still loads only its own modules.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../packages/cli/', import.meta.url));
const outdir = `${cli}bundle`;

/** Bare imports are npm packages, except our own workspaces, which are bundled in. */
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@vault/') ? undefined : { path: args.path, external: true }));
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  // The agent is spawned by path (agent/launch.ts resolves ./entry.js next to itself), so it is an entry of its
  // own and every file lands in one flat directory.
  entryPoints: { bin: `${cli}dist/bin.js`, entry: `${cli}dist/agent/entry.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [npmPackagesExternal],
  logLevel: 'warning',
});
