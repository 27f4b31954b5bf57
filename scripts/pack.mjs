// Builds the publishable package of the `vault` CLI in build/pack/ and packs it into build/NAME-VERSION.tgz, one
// tarball that installs with `npm install -g` and needs no checkout. The workspace packages are private, so they
// are bundled in (the same bundle as packages/cli/bundle, scripts/bundle.mjs); the npm packages that bundle leaves
// external become real dependencies, at the versions package-lock.json installs, so a user runs what the tests ran.
// The dev checkout is untouched: packages/cli keeps its own package.json and bundle/. Expects `tsc -b` to have run
// (`npm run pack` builds first). Prints the tarball's path. `node scripts/pack.mjs DIR` writes DIR/pack/ and the
// tarball in DIR instead (the install test packs into a temporary directory).
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle.mjs';

/** Checked free on the npm registry (docs/development.md, "The published package"). */
const NAME = 'vault-aws-cli';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = resolve(process.argv[2] ?? `${root}build`);
const stage = `${out}/pack/`;
const readJson = async (path) => JSON.parse(await readFile(`${root}${path}`, 'utf8'));

const [cli, monorepo, lock] = await Promise.all([
  readJson('packages/cli/package.json'),
  readJson('package.json'),
  readJson('package-lock.json'),
]);

await rm(stage, { recursive: true, force: true });
const external = await bundleCli(`${stage}bundle`);
await mkdir(`${stage}bin`, { recursive: true });
await Promise.all([
  // bin/bundle-script.cjs runs ../bundle/bin.cjs, and version.ts reads ../package.json from the bundle: the
  // published package keeps packages/cli's layout.
  copyFile(`${root}packages/cli/bin/vault.cjs`, `${stage}bin/vault.cjs`),
  copyFile(`${root}packages/cli/bin/bundle-script.cjs`, `${stage}bin/bundle-script.cjs`),
  copyCodeCache(),
  copyFile(`${root}LICENSE`, `${stage}LICENSE`),
  copyFile(`${root}README.md`, `${stage}README.md`),
]);

/**
 * The build's V8 code caches (scripts/code-cache.mjs) go into the package, each where the staged file is the one it
 * was made from: they serve users on the Node version that built them, and V8 rejects them on any other, where the
 * files are compiled as they would be without one.
 */
async function copyCodeCache() {
  const dev = `${root}packages/cli/bundle/`;
  const caches = (await readdir(dev)).filter((name) => name.endsWith('.cache'));
  await Promise.all(
    caches.map(async (cache) => {
      const file = cache.slice(0, -'.cache'.length);
      const [built, staged] = await Promise.all([readFile(`${dev}${file}`), readFile(`${stage}bundle/${file}`)]);
      if (built.equals(staged)) await copyFile(`${dev}${cache}`, `${stage}bundle/${cache}`);
    }),
  );
}

const manifest = {
  name: NAME,
  version: cli.version,
  description: monorepo.description,
  license: monorepo.license,
  type: 'module',
  bin: { vault: 'bin/vault.cjs' },
  files: ['bin', 'bundle'],
  engines: monorepo.engines,
  dependencies: Object.fromEntries(external.map((name) => [name, lockedVersion(name)])),
};
await writeFile(`${stage}package.json`, `${JSON.stringify(manifest, null, 2)}\n`);

const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }),
);
process.stdout.write(`${out}/${packed.filename}\n`);

/** The version npm installed for the bundle to load: the one Node resolves from packages/cli/bundle. */
function lockedVersion(name) {
  const entry = lock.packages[`packages/cli/node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
  if (!entry?.version) throw new Error(`pack: ${name} is imported by the bundle but not in package-lock.json`);
  return entry.version;
}
