import { jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { runInProcess } from './support/in-process.js';
import { freePort } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';

// What an aws-vault user meets before any AWS call: --version, --help, usage errors, and aws-vault's short flags.
// What vault prints for a command line, so in-process (support/in-process.ts) but for --version.

// The project-level testTimeout in jest.config.ts is not applied by Jest (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'cli surface passphrase';
const COMMANDS = ['add', 'list', 'remove', 'passphrase', 'unlock', 'lock', 'exec', 'export', 'login', 'whoami', 'clear', 'import', 'rotate', 'config', 'version', 'completion'];

let box: Sandbox;
let env: Env;
const keys = fakeKeys();

beforeAll(async () => {
  box = await sandbox({ passphrase: PASSPHRASE });
  await box.writeConfig('[profile read-only]\nregion = eu-west-1\n');
  // Nothing listens there: a test that reached STS would fail with STS_NETWORK.
  env = { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${await freePort()}` };
  expectSuccess(
    await runInProcess(['add', '--env', 'read-only'], { env: { ...env, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey } }),
  );
});
afterAll(async () => {
  await box?.remove();
});

describe('version and help', () => {
  it('--version prints the version of the installed CLI package', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../packages/cli/package.json', import.meta.url), 'utf8'));
    // Through the binary: the bundle finds the package's manifest from where it is installed.
    const result = await runVault(['--version'], { env });
    expectSuccess(result);
    expect(result.stdout).toBe(`${manifest.version}\n`);
  });

  it('--help lists every command, and each command has its own help', async () => {
    const top = await runInProcess(['--help'], { env });
    expectSuccess(top);
    for (const command of COMMANDS) expect(top.stdout).toMatch(new RegExp(`^ {2}vault ${command}\\b`, 'm'));
    const helps = await Promise.all(COMMANDS.map((command) => runInProcess([command, '--help'], { env })));
    helps.forEach((result, i) => {
      expectSuccess(result);
      expect(result.stdout).toMatch(new RegExp(`^vault ${COMMANDS[i]}\\b`));
    });
  });

  it("--debug stack traces name the bundle within the package, not the checkout the build ran in (V8's code cache keeps that)", async () => {
    const result = await runVault(['--debug', 'exec', 'no-such-profile', '--', 'true'], { env });
    expect(result.stderr).toMatch(/\n\s+at .*\(vault\/bundle\/bin\.cjs:\d+:\d+\)/);
    expect(result.stderr).not.toContain(fileURLToPath(new URL('../../packages/cli/bundle', import.meta.url)));
  });

  it('no command: the help, as `vault --help` prints it, exit 0 (as aws-vault)', async () => {
    const bare = await runInProcess([], { env });
    expectSuccess(bare);
    expect(bare.stdout).toBe((await runInProcess(['--help'], { env })).stdout);
  });
});

describe("aws-vault's short flags", () => {
  it('exec -n -j prints the stored keys, as --no-session --json does, without calling STS', async () => {
    const short = await runInProcess(['exec', '-nj', 'read-only'], { env });
    expectSuccess(short);
    expect(JSON.parse(short.stdout)).toEqual({ Version: 1, AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey });
    const long = await runInProcess(['exec', '--no-session', '--json', 'read-only'], { env });
    expect(long.stdout).toBe(short.stdout);
  });

  it('-n works on export too', async () => {
    const result = await runInProcess(['export', '-n', 'read-only', '--format', 'json'], { env });
    expectSuccess(result);
    expect(JSON.parse(result.stdout).AccessKeyId).toBe(keys.accessKeyId);
  });

  it('exec -s is --server: refused with --json and with -n, naming both', async () => {
    expectOneLineError(await runInProcess(['exec', '-s', '-j', 'read-only'], { env }), /--server .*--json/, 2);
    expectOneLineError(await runInProcess(['exec', '-s', '-n', 'read-only', '--', 'true'], { env }), /--server .*--no-session/, 2);
  });

  it('exec --ecs-server is --server, as in aws-vault', async () => {
    expectOneLineError(await runInProcess(['exec', '--ecs-server', '-j', 'read-only'], { env }), /--server .*--json/, 2);
  });
});
