// Bundles the compiled CLI (packages/cli/dist, from `tsc -b`) and the workspace packages it imports into a few
// files under packages/cli/bundle, which bin/vault.js runs. Loading ~40 small ES modules costs a resolution, a
// read and a compile each, about a sixth of a cached `vault exec` (docs/benchmarks.md). npm dependencies other
// than execa (see BUNDLED) stay external, loaded from node_modules; code splitting keeps every `await import()`
// lazy, so a command still loads only its own modules. scripts/pack.mjs bundles the same way into the published
// package, and takes its dependencies from the imports this leaves external.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../packages/cli/', import.meta.url));

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

/**
 * Writes the bundle into `outdir` (emptied first) and returns the npm packages it leaves to be loaded from
 * node_modules, by name: what a published package must declare as its dependencies.
 */
export async function bundleCli(outdir) {
  await rm(outdir, { recursive: true, force: true });
  const { metafile } = await build({
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
    metafile: true,
  });
  const external = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external));
  const names = external.map((i) => i.path).filter((path) => !isBuiltin(path)).map(packageName);
  return [...new Set(names)].sort();
}

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleCli(`${cli}bundle`);
