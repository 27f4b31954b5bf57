// Bundles the compiled CLI (packages/cli/dist, from `tsc -b`) and the workspace packages it imports into one
// CommonJS file, packages/cli/bundle/bin.cjs, which bin/vault.cjs runs, and the agent into bundle/entry.js. One
// CommonJS file because Node 20 loads it faster than anything else measured (docs/benchmarks.md, "Start-up"): 17
// ES module chunks (code splitting) cost ~19 ms more CPU per cached `vault exec`, one ES module file holding
// everything ~20 ms more again; the ES module loader resolves, links and evaluates each module through promises,
// the CommonJS loader reads and compiles one file. V8 compiles functions lazily, so the code of commands that do
// not run is only pre-parsed. npm dependencies stay external, loaded from node_modules when used (`import()` or a
// require inside a lazily run module), so a cached `vault exec` loads none. scripts/pack.mjs bundles the same way
// into the published package, and takes its dependencies from the imports this leaves external.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../packages/cli/', import.meta.url));

/** Bare imports are npm packages, loaded from node_modules, except our own workspaces, which are built in. */
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@vault/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * The AWS SDK clients ship one bundled CommonJS file per package. The sources load them with import() (what an ES
 * module and jest's module mocks understand); in the CommonJS bundle that import() goes through Node's ES module
 * loader, which wraps and scans each CommonJS file, and a cold `vault exec` paid ~100 ms of CPU more for the STS
 * client than with require() (docs/benchmarks.md). So the bundle requires them: esbuild records the require as the
 * external import it is, and the package's dependencies follow from it.
 */
const REQUIRED_IN_BUNDLE = ['@aws-sdk/client-sts', '@aws-sdk/client-iam'];
const requireSdkClients = {
  name: 'require-sdk-clients',
  setup(b) {
    b.onLoad({ filter: /\/dist\/.*\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const name of REQUIRED_IN_BUNDLE) {
        contents = contents.replaceAll(`import('${name}')`, `Promise.resolve().then(() => require('${name}'))`);
      }
      return { contents, loader: 'js' };
    });
  },
};

// Whitespace and syntax only: identifiers keep their names, so error classes and stack traces read as in the source.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  plugins: [npmPackagesExternal],
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  metafile: true,
};

/**
 * Writes the bundle into `outdir` (emptied first) and returns the npm packages it leaves to be loaded from
 * node_modules, by name: what a published package must declare as its dependencies.
 */
export async function bundleCli(outdir) {
  await rm(outdir, { recursive: true, force: true });
  const cliBuild = build({
    ...common,
    entryPoints: { bin: `${cli}dist/bin.js` },
    outdir,
    format: 'cjs',
    plugins: [...common.plugins, requireSdkClients],
    outExtension: { '.js': '.cjs' },
    // The sources are ES modules; version.ts and agent/launch.ts find files beside the bundle from import.meta.url.
    define: { 'import.meta.url': '__vaultModuleUrl' },
    banner: { js: "const __vaultModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // The agent is spawned by path (agent/launch.ts resolves ./entry.js next to itself) and started once per unlock:
  // an ES module of its own.
  const agentBuild = build({
    ...common,
    entryPoints: { entry: `${cli}dist/agent/entry.js` },
    outdir,
    format: 'esm',
    banner: { js: "import { createRequire as __vaultCreateRequire } from 'node:module'; const require = __vaultCreateRequire(import.meta.url);" },
  });
  const outputs = (await Promise.all([cliBuild, agentBuild])).flatMap(({ metafile }) => Object.values(metafile.outputs));
  const external = outputs.flatMap((output) => output.imports.filter((i) => i.external));
  const names = external.map((i) => i.path).filter((path) => !isBuiltin(path)).map(packageName);
  return [...new Set(names)].sort();
}

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleCli(`${cli}bundle`);
