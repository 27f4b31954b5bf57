import { jest } from '@jest/globals';
import { access, mkdir, mkdtemp, readFile, realpath, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsSetup, MOTO_ACCOUNT, type Keys } from './support/aws-setup.js';
import { probeCodeCaches } from './support/code-cache.js';
import { expectSuccess } from './support/expect-error.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { run, type Env, type RunResult } from './support/process.js';
import { cleanEnv, sandbox, type Sandbox } from './support/sandbox.js';

// Packing, two installs and an uninstall; the installs may fetch the dependencies' registry metadata once.
jest.setTimeout(300_000);

/**
 * The published package, as a user gets it: `scripts/pack.mjs` builds the tarball, npm installs it into an empty
 * global prefix, and `vault` runs from that prefix's bin in a directory outside the checkout, with no path into the
 * checkout on PATH, so nothing can come from the workspace's node_modules or bundle.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = 'vault-aws-cli';
const PASSPHRASE = 'install e2e passphrase';
const PROFILE = 'colleague';

let moto: SharedMoto;
let keys: Keys;
let box: Sandbox;
let work: string;
let prefix: string;
let elsewhere: string;
let tarball: string;

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('installer');
  keys = await setup.createAccessKey('installer');
  box = await sandbox({ passphrase: PASSPHRASE });
  work = await mkdtemp(join(tmpdir(), 'vault-install-'));
  prefix = join(work, 'prefix');
  elsewhere = join(work, 'elsewhere');
  await mkdir(elsewhere);
  const packed = await run(process.execPath, [join(repo, 'scripts/pack.mjs'), work], { env: cleanEnv(), timeoutMs: 120_000 });
  expectSuccess(packed);
  tarball = packed.stdout.trim();
});

afterAll(async () => {
  await box?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

const outsideRepo = (dir: string) => {
  const path = relative(repo, dir);
  return path.startsWith('..') || isAbsolute(path);
};

/** The user's PATH: the prefix's bin first, then the system's, less anything inside the checkout (npm test adds its node_modules/.bin, which links a `vault`). */
function userPath(): string {
  const system = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '' && outsideRepo(dir));
  return [join(prefix, 'bin'), ...system].join(delimiter);
}

/**
 * npm with the developer's own HOME, so its cache (warm after `npm ci`) and settings apply, and the machine's extra CA
 * certificates, which cleanEnv() leaves out, should it reach the registry; no npm_* from `npm test`.
 */
function npm(args: string[]): Promise<RunResult> {
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  const env = { ...cleanEnv(), ...(extraCa === undefined ? {} : { NODE_EXTRA_CA_CERTS: extraCa }) };
  return run('npm', [...args, '--global', '--prefix', prefix, '--no-audit', '--no-fund'], { env, cwd: elsewhere, timeoutMs: 240_000 });
}

/** `vault ARGS` as the user types it: found on PATH, run from a directory outside the checkout. */
function vault(args: string[], extra: Env = {}): Promise<RunResult> {
  const env: Env = { ...box.env, PATH: userPath(), ...extra };
  delete env.NODE_PATH;
  return run('vault', args, { env, cwd: elsewhere });
}

const withPassphrase = { AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE };

describe('the packed tarball, installed globally', () => {
  it('installs into an empty npm prefix, the dependencies from the npm cache', async () => {
    expectSuccess(await npm(['install', '--prefer-offline', tarball]));
    const installed = await realpath(join(prefix, 'bin', 'vault'));
    expect(installed).toBe(join(await realpath(prefix), 'lib', 'node_modules', PACKAGE, 'bin', 'vault.cjs'));
    const found = await run('/bin/sh', ['-c', 'command -v vault'], { env: { PATH: userPath() } });
    expect(found.stdout.trim()).toBe(join(prefix, 'bin', 'vault'));
  });

  it("carries the build's V8 code caches, which this Node accepts where npm installed them", async () => {
    const probes = await probeCodeCaches(join(prefix, 'lib', 'node_modules', PACKAGE, 'bin', 'bundle-script.cjs'), elsewhere);
    expect(Object.keys(probes).sort()).toEqual(['bin.cjs', 'sodium.cjs', 'sts.cjs']);
    for (const [file, { rejected }] of Object.entries(probes)) expect({ file, rejected }).toEqual({ file, rejected: false });
  });

  it('prints the version of packages/cli', async () => {
    const { version } = JSON.parse(await readFile(join(repo, 'packages/cli/package.json'), 'utf8')) as { version: string };
    const result = await vault(['--version']);
    expectSuccess(result);
    expect(result.stdout.trim()).toBe(version);
  });

  it('adds keys from the environment and runs the AWS CLI with a session against moto', async () => {
    expectSuccess(
      await vault(['add', '--env', PROFILE], { ...withPassphrase, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }),
    );
    const result = await vault(['exec', PROFILE, '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], {
      ...withPassphrase,
      AWS_ENDPOINT_URL_STS: moto.url,
      AWS_ENDPOINT_URL_IAM: moto.url,
      AWS_DEFAULT_REGION: 'us-east-1',
    });
    expectSuccess(result);
    // moto answers for credentials from GetSessionToken with a user of its own, in the key's account.
    expect(JSON.parse(result.stdout)).toEqual(expect.objectContaining({ Account: MOTO_ACCOUNT, Arn: `arn:aws:sts::${MOTO_ACCOUNT}:user/moto` }));
  });

  it('starts the agent from the installed package: after vault unlock, no passphrase is needed until vault lock', async () => {
    // The agent is spawned by path, ./entry.js beside the installed bundle; --ttl bounds its life if this test fails.
    const unlocked = await vault(['unlock', '--ttl', '1m'], withPassphrase);
    expectSuccess(unlocked);
    expect(unlocked.stderr).toMatch(/Vault unlocked/);
    // No passphrase and no terminal: only the agent can open the vault.
    expectSuccess(await vault(['list', '--json']));
    const locked = await vault(['lock']);
    expectSuccess(locked);
    expect(locked.stderr).toMatch(/Vault locked/);
  });

  it("says in one line that the installation is damaged when libsodium's WebAssembly is gone, and leaves the vault as it was", async () => {
    const wasm = join(prefix, 'lib', 'node_modules', PACKAGE, 'bundle', 'sodium.wasm');
    const before = await readFile(box.vaultFile);
    await rename(wasm, `${wasm}.away`);
    try {
      const result = await vault(['list'], withPassphrase);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `vault: libsodium's WebAssembly could not be loaded from ${wasm} (ENOENT: no such file or directory, open '${wasm}'); the installation is damaged: reinstall vault (run with --debug for details)\n`,
      );
    } finally {
      await rename(`${wasm}.away`, wasm);
    }
    expect(await readFile(box.vaultFile)).toEqual(before);
    expectSuccess(await vault(['list'], withPassphrase));
  });

  it('leaves the vault in place on uninstall, and a reinstall opens it', async () => {
    const before = await readFile(box.vaultFile);
    expectSuccess(await npm(['uninstall', PACKAGE]));
    await expect(access(join(prefix, 'bin', 'vault'))).rejects.toThrow();
    expect(await readFile(box.vaultFile)).toEqual(before);

    // The first install put the dependencies' registry metadata in the cache too, so this one needs no network.
    expectSuccess(await npm(['install', '--offline', tarball]));
    const result = await vault(['list', '--json'], withPassphrase);
    expectSuccess(result);
    const rows = JSON.parse(result.stdout) as Array<{ profile: string; credentials: boolean | null; sessions: unknown[] }>;
    expect(rows).toEqual([expect.objectContaining({ profile: PROFILE, credentials: true, sessions: [expect.anything()] })]);
  });
});
