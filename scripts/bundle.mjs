// Bundles the compiled CLI (packages/cli/dist, from `tsc -b`) and the workspace packages it imports into a few
// files under packages/cli/bundle, which bin/vault.js runs. Loading ~40 small ES modules costs a resolution, a
// read and a compile each, about a sixth of a cached `vault exec` (docs/benchmarks.md). npm dependencies other
// than execa (see BUNDLED) stay external, loaded from node_modules; code splitting keeps every `await import()`
// lazy, so a command still loads only its own modules.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../packages/cli/', import.meta.url));
const outdir = `${cli}bundle`;

/**
 * Bare imports are npm packages, loaded from node_modules, except our own workspaces and BUNDLED, which are built
 * in together with everything they import. execa spawns the child of every `vault exec`: loaded from node_modules
 * it costs about 160 ms of module resolution and loading, bundled less (docs/benchmarks.md).
 */
const BUNDLED = new Set(['execa']);
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const ours = args.path.startsWith('@vault/') || BUNDLED.has(args.path);
      // An import from inside node_modules comes from a bundled package, so it is bundled with it.
      const dependencyOfBundled = args.importer.includes('/node_modules/');
      return ours || dependencyOfBundled ? undefined : { path: args.path, external: true };
    });
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
  // Some of execa's dependencies are CommonJS and call require() for Node's own modules, which an ES module
  // chunk has only when given one.
  banner: { js: "import { createRequire as __vaultCreateRequire } from 'node:module'; const require = __vaultCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
