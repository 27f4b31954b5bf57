// Bundles the compiled CLI (packages/cli/dist, from `tsc -b`) and the workspace packages it imports into one
// CommonJS file, packages/cli/bundle/bin.cjs, which bin/vault.cjs runs, and the agent into bundle/entry.js. One
// CommonJS file because Node 20 loads it faster than anything else measured (docs/benchmarks.md, "Start-up"): 17
// ES module chunks (code splitting) cost ~19 ms more CPU per cached `vault exec`, one ES module file holding
// everything ~20 ms more again; the ES module loader resolves, links and evaluates each module through promises,
// the CommonJS loader reads and compiles one file. V8 compiles functions lazily, so the code of commands that do
// not run is only pre-parsed. npm dependencies stay external, loaded from node_modules when used (`import()` or a
// require inside a lazily run module), so a cached `vault exec` loads none; the AWS SDK clients and libsodium are the
// exception, bundled into files of their own beside bin.cjs (LIBRARIES). scripts/pack.mjs bundles the same way into the
// published package, and takes its dependencies from the imports this leaves external.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../packages/cli/', import.meta.url));
const core = fileURLToPath(new URL('../packages/core/', import.meta.url));

/** Bare imports are npm packages, loaded from node_modules, except our own workspaces, which are built in. */
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@vault/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Libraries bundled into CommonJS files of their own beside bin.cjs, each from the module that names what vault takes
 * from it, and required on first use. `require('@aws-sdk/client-sts')` from node_modules reads 23 files, 730 KB,
 * resolved package by package; the bundle is one file of only the code those names reach (docs/benchmarks.md, "The
 * AWS SDK clients, bundled"). libsodium, built from its ES module build, is required by the CLI and the agent alike
 * without Node's ES module loader, and ships once instead of as an npm dependency; so does proper-lockfile, which
 * every vault write loads (lockfile.cjs). A file here can have a code cache the build trains (bin/bundle-script.cjs,
 * scripts/code-cache.mjs; sts.cjs and sodium.cjs have one). The sources load these modules with import() (what an
 * ES module and jest understand); in bin.cjs that import() becomes a `__vaultRequire()` of the library's file,
 * which needs no ES module loader and no interop: built from an ES module entry, its module.exports carries the
 * names themselves.
 */
const LIBRARIES = [
  { module: `${cli}dist/credentials/sts-sdk.js`, bundle: 'sts.cjs' },
  { module: `${cli}dist/rotate/iam-sdk.js`, bundle: 'iam.cjs' },
  { module: `${core}dist/sodium-lib.js`, bundle: 'sodium.cjs' },
  { module: `${core}dist/lockfile-lib.js`, bundle: 'lockfile.cjs' },
];
/**
 * What the import() calls of a bundle become. The libraries' become a call of `requireCall` with their file
 * (LIBRARIES). In bin.cjs that is `__vaultRequire`, and the npm packages' and built-ins' import() calls become
 * `__vaultImport`: bin/bundle-script.cjs passes both in, as bin.cjs runs from V8's code cache and V8 loses a cached
 * script's dynamic-import callback ("A dynamic import callback was not specified"). The agent (entry.js) requires
 * libsodium's file with the `require` its banner makes. Relative imports are bundled by esbuild and never reach the
 * output.
 */
function libraryImports(requireCall, { bareImports }) {
  return {
    name: `library-imports-${requireCall}`,
    setup(b) {
      // A plain require() of a library's file is one esbuild would otherwise try to bundle.
      const bundles = new Set(LIBRARIES.map(({ bundle }) => `./${bundle}`));
      b.onResolve({ filter: /^\.\/[^/]+\.cjs$/ }, (args) => (bundles.has(args.path) ? { path: args.path, external: true } : undefined));
      b.onLoad({ filter: /\/dist\/.*\.js$/ }, async (args) => {
        let contents = await readFile(args.path, 'utf8');
        for (const { module, bundle } of LIBRARIES) {
          if (dirname(args.path) !== dirname(module)) continue;
          contents = contents.replaceAll(`import('./${basename(module)}')`, `Promise.resolve().then(() => ${requireCall}('./${bundle}'))`);
        }
        // A built-in is required: an import() would start Node's ES module loader (~10 ms) for a module that needs
        // none. The sources only destructure named exports from these, which require() gives as well.
        contents = contents.replace(/\bimport\((['"])(node:[\w/]+)\1\)/g, 'Promise.resolve().then(() => require($1$2$1))');
        if (bareImports) contents = contents.replace(/\bimport\((?=['"][^./])/g, '__vaultImport(');
        return { contents, loader: 'js' };
      });
    },
  };
}

/**
 * The SDK's default credential chain (environment, shared files, SSO, web identity, process, container and instance
 * metadata: some 250 KB with the nested STS, SSO and sign-in clients it loads) is what a client uses when it is
 * given no credentials. vault gives every client its credentials, so the client bundles carry a stand-in that fails
 * instead.
 */
const noDefaultCredentialChain = {
  name: 'no-default-credential-chain',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) => ({ path: args.path, namespace: 'no-default-credential-chain' }));
    b.onLoad({ filter: /.*/, namespace: 'no-default-credential-chain' }, () => ({
      contents: `export const defaultProvider = () => async () => {
        throw new Error('vault gives every AWS SDK client its credentials; the SDK default credential chain is not in this bundle');
      };`,
      loader: 'js',
    }));
  },
};

/**
 * libsodium's ES module build carries its WebAssembly as one 380 kB base64 string literal, which every load reads,
 * compiles and decodes with a JavaScript loop: ~40 ms of CPU before WebAssembly compiles a byte (docs/benchmarks.md,
 * "Start-up, round 6"). The build writes the decoded bytes to `sodium.wasm` beside sodium.cjs, and
 * the bundle gives libsodium's module factory emscripten's `instantiateWasm` hook, which instantiates that file. The
 * literal itself becomes an expression that throws: the factory reaches it only without the hook. A libsodium whose
 * build no longer has exactly one such literal, or whose literal is not WebAssembly, stops the build.
 */
function sodiumWasmFile(outdir) {
  const WASM = 'sodium.wasm';
  return {
    name: 'sodium-wasm-file',
    setup(b) {
      // The wrappers import the factory by its package name, resolved here as esbuild would; the stand-in below
      // imports that file by its path.
      b.onResolve({ filter: /^libsodium-sumo$/ }, async (args) => {
        if (args.pluginData?.resolving) return undefined;
        const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { resolving: true } });
        return real.errors.length > 0 ? { errors: real.errors } : { path: real.path, namespace: 'sodium-factory' };
      });
      b.onLoad({ filter: /.*/, namespace: 'sodium-factory' }, async ({ path: factory }) => {
        return {
          contents: `import factory from ${JSON.stringify(factory)};
            import { readFileSync } from 'node:fs';
            import { join } from 'node:path';
            const damaged = (file, err) => new Error(\`libsodium's WebAssembly could not be loaded from \${file} (\${err.message}); the installation is damaged: reinstall vault\`);
            export default (options) => new Promise((resolve, reject) => {
              const instantiateWasm = (imports, done) => {
                const file = join(__dirname, ${JSON.stringify(WASM)});
                let bytes;
                try {
                  bytes = readFileSync(file);
                } catch (err) {
                  reject(damaged(file, err));
                  return {};
                }
                WebAssembly.instantiate(bytes, imports).then(({ instance, module }) => done(instance, module), (err) => reject(damaged(file, err)));
                return {};
              };
              factory({ ...options, instantiateWasm }).then(resolve, reject);
            });`,
          loader: 'js',
          resolveDir: dirname(factory),
        };
      });
      b.onLoad({ filter: /libsodium-sumo\.mjs$/ }, async (args) => {
        const contents = await readFile(args.path, 'utf8');
        const literals = [...contents.matchAll(/"([A-Za-z0-9+/]{100000,}={0,2})"/g)];
        if (literals.length !== 1) throw new Error(`bundle: expected one base64 WebAssembly literal in ${args.path}, found ${literals.length}`);
        const [{ 0: literal, 1: base64, index }] = literals;
        const wasm = Buffer.from(base64, 'base64');
        if (!wasm.subarray(0, 4).equals(Buffer.from('\0asm'))) throw new Error(`bundle: the base64 literal in ${args.path} is not WebAssembly`);
        await writeFile(`${outdir}/${WASM}`, wasm);
        const unreachable = `(() => { throw new Error('libsodium: ${WASM} is instantiated through instantiateWasm'); })()`;
        return { contents: contents.slice(0, index) + unreachable + contents.slice(index + literal.length), loader: 'js' };
      });
    },
  };
}

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
  await mkdir(outdir, { recursive: true });
  const cliBuild = build({
    ...common,
    entryPoints: { bin: `${cli}dist/bin.js` },
    outdir,
    format: 'cjs',
    plugins: [...common.plugins, libraryImports('__vaultRequire', { bareImports: true })],
    outExtension: { '.js': '.cjs' },
    // The sources are ES modules; version.ts and agent/launch.ts find files beside the bundle from import.meta.url,
    // made when one of them asks: commands that need neither (a cached `vault exec`) do not build the URL.
    define: { 'import.meta.url': '__vaultModule.url' },
    // __vaultImport and __vaultRequire fall back to import() and require() when bin.cjs is run by Node itself rather
    // than by bin/bundle-script.cjs.
    banner: {
      js: "const __vaultModule = { get url() { return require('node:url').pathToFileURL(__filename).href; } }; var __vaultImport = __vaultImport || ((specifier) => import(specifier)); var __vaultRequire = __vaultRequire || require;",
    },
  });
  // The agent is spawned by path (agent/launch.ts resolves ./entry.js next to itself) and started once per unlock:
  // an ES module of its own, which loads libsodium from sodium.cjs beside it as the CLI does.
  const agentBuild = build({
    ...common,
    entryPoints: { entry: `${cli}dist/agent/entry.js` },
    outdir,
    format: 'esm',
    plugins: [...common.plugins, libraryImports('require', { bareImports: false })],
    banner: { js: "import { createRequire as __vaultCreateRequire } from 'node:module'; const require = __vaultCreateRequire(import.meta.url);" },
  });
  // Everything npm installs for the libraries is inside their bundles: no package stays external.
  const libraryBuilds = LIBRARIES.map(({ module, bundle }) =>
    build({
      ...common,
      plugins: [noDefaultCredentialChain, ...(bundle === 'sodium.cjs' ? [sodiumWasmFile(outdir)] : [])],
      entryPoints: [module],
      // The SDK's import() of Node's built-ins becomes require(): a file bin/bundle-script.cjs compiles from the code
      // cache has no dynamic-import callback (above), and a built-in needs no ES module loader.
      supported: { 'dynamic-import': false },
      outfile: `${outdir}/${bundle}`,
      format: 'cjs',
      // The SDK's ES module build first: esbuild tree-shakes it down to what the entry names, where its CommonJS
      // build is one file per package, taken whole (AWS's own advice for bundling the SDK v3 with esbuild).
      mainFields: ['module', 'main'],
    }),
  );
  const results = await Promise.all([cliBuild, agentBuild, ...libraryBuilds]);
  const outputs = results.flatMap(({ metafile }) => Object.values(metafile.outputs));
  const external = outputs.flatMap((output) => output.imports.filter((i) => i.external));
  // esbuild no longer sees the imports bin-imports turned into __vaultImport() and __vaultRequire() calls: they are
  // read from the output. A rewrite that no longer matched (the import in sts-client.ts, iam-client.ts or sodium.ts
  // changed) would leave the library to be loaded from node_modules again, unnoticed: stop instead.
  const bin = await readFile(`${outdir}/bin.cjs`, 'utf8');
  // One character outside ASCII (a regular expression's, which esbuild leaves as written) makes V8 hold the whole
  // bundle as a two-byte string: measured ~7 ms more on every command. Written as an escape in the source, it costs
  // nothing.
  const wide = /[^\x00-\x7f]/.exec(bin);
  if (wide) throw new Error(`bundle: bin.cjs has a character outside ASCII (U+${wide[0].codePointAt(0).toString(16).padStart(4, '0')} at ${wide.index}); write it as an escape`);
  // A default import of a built-in (`import os from 'node:os'`) becomes __toESM(require(...)), which copies every
  // export of the module into a new object of getters on each run: ~5 kB of the ~850 kB a cached `vault exec` may
  // allocate before V8 starts collecting (docs/benchmarks.md, "Round 8"). Named imports cost nothing.
  const copied = /__toESM\(require\("(node:[\w/]+)"\)/.exec(bin);
  if (copied) throw new Error(`bundle: bin.cjs default-imports ${copied[1]}; import the names it uses instead`);
  const required = new Set([...bin.matchAll(/__vaultRequire\("([^"]+)"\)/g)].map((m) => m[1]));
  const missing = LIBRARIES.filter(({ bundle }) => !required.has(`./${bundle}`));
  if (missing.length > 0) throw new Error(`bundle: bin.cjs does not require ${missing.map((c) => c.bundle).join(', ')}`);
  const imported = [...bin.matchAll(/__vaultImport\("([^"]+)"\)/g)].map((m) => m[1]);
  const names = [...external.map((i) => i.path), ...imported].filter((path) => !isBuiltin(path) && !path.startsWith('./')).map(packageName);
  return [...new Set(names)].sort();
}

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleCli(`${cli}bundle`);
