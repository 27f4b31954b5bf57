import { jest } from '@jest/globals';
import { chmod, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { awsSetup, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { vaultBin } from './support/paths.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { tty } from './support/tty.js';
import { runVault, stderrLines } from './support/vault.js';

// `vault import`: keys move from the plaintext credentials file (as `aws configure` writes it) into the vault, and
// the rewritten file differs from the original by exactly the removed key lines. vault runs in-process
// (support/in-process.ts), but for the question on a real terminal and the aws CLI as exec's command.

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'import e2e passphrase';

let moto: SharedMoto;
let userArn: string;
let workKeys: Keys;
const ciKeys = fakeKeys();

/** What `aws configure` leaves, plus a hand-written comment, a temporary-credentials section and CRLF in one place. */
function credentialsFile(work: Keys): string {
  return [
    '# written by aws configure; edited by hand',
    '[work]',
    `aws_access_key_id = ${work.accessKeyId}`,
    `aws_secret_access_key = ${work.secretAccessKey}`,
    'region = eu-west-1 ',
    '',
    '; a session pasted from the console',
    '[console]',
    'aws_access_key_id = ASIAQQQQQQQQQQQQQQQQ',
    'aws_secret_access_key = console-secret',
    'aws_session_token = console-token',
    '',
    '[ci]\r',
    `aws_access_key_id=${ciKeys.accessKeyId}\r`,
    `aws_secret_access_key=${ciKeys.secretAccessKey}\r`,
    '',
  ].join('\n');
}

/** The same file without the long-lived keys of work and ci. */
function withoutKeys(): string {
  return [
    '# written by aws configure; edited by hand',
    '[work]',
    'region = eu-west-1 ',
    '',
    '; a session pasted from the console',
    '[console]',
    'aws_access_key_id = ASIAQQQQQQQQQQQQQQQQ',
    'aws_secret_access_key = console-secret',
    'aws_session_token = console-token',
    '',
    '[ci]\r',
    '',
  ].join('\n');
}

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  userArn = (await setup.createUser('worker')).arn;
  workKeys = await setup.createAccessKey('worker');
});

/**
 * A sandbox whose credentials file is the one above (0644, as aws configure leaves it under a 022 umask), with an
 * empty fixture vault unless `vault` is false.
 */
async function boxWithCredentials(options: { vault?: boolean } = {}): Promise<Sandbox> {
  const box = await sandbox(options.vault === false ? {} : { passphrase: PASSPHRASE });
  await writeFile(box.credentialsFile, credentialsFile(workKeys));
  await chmod(box.credentialsFile, 0o644);
  await box.writeConfig('# my settings\n[profile other]\nregion = us-east-1\n');
  return box;
}

function env(box: Sandbox, extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

async function storedKeyId(box: Sandbox, profile: string): Promise<string | undefined> {
  const result = await runInProcess(['export', profile, '--no-session', '--format', 'json'], { env: env(box) });
  expectSuccess(result);
  return JSON.parse(result.stdout).AccessKeyId;
}

describe('vault import', () => {
  it('without --remove-plaintext and without a terminal: stores the keys and leaves the file exactly as it was', async () => {
    const box = await boxWithCredentials();
    try {
      const result = await runInProcess(['import', '--all'], { env: env(box) });
      expectSuccess(result);
      expect(result.stderr).toContain('Skipped "console": it holds temporary credentials (aws_session_token)');
      expect(result.stderr).toContain('vault import --remove-plaintext work ci');
      expect(await readFile(box.credentialsFile, 'utf8')).toBe(credentialsFile(workKeys));
      expect((await stat(box.credentialsFile)).mode & 0o777).toBe(0o644);
      expect(await storedKeyId(box, 'work')).toBe(workKeys.accessKeyId);
      expect(await storedKeyId(box, 'ci')).toBe(ciKeys.accessKeyId);
      // work's region, which the AWS CLI read from the credentials file, goes with its keys.
      expect(await readFile(box.configFile, 'utf8')).toBe(
        '# my settings\n[profile other]\nregion = us-east-1\n\n[profile work]\nregion = eu-west-1\n\n[profile ci]\n',
      );
      expect(result.stderr).toContain(`Wrote [profile work] (region, from the credentials file) to ${box.configFile}.`);
      // The secrets never reach the terminal.
      expect(result.stderr + result.stdout).not.toContain(workKeys.secretAccessKey);
    } finally {
      await box.remove();
    }
  });

  it('--remove-plaintext --backup: removes only the key lines, atomically and 0600, keeps a 0600 backup, and exec works', async () => {
    const box = await boxWithCredentials();
    try {
      const result = await runInProcess(['import', '--all', '--remove-plaintext', '--backup'], { env: env(box) });
      expectSuccess(result);
      expect(await readFile(box.credentialsFile, 'utf8')).toBe(withoutKeys());
      expect((await stat(box.credentialsFile)).mode & 0o777).toBe(0o600);

      const backups = (await readdir(`${box.home}/.aws`)).filter((n) => n.endsWith('.bak'));
      expect(backups).toEqual([expect.stringMatching(/^credentials\.\d{8}T\d{6}Z\.bak$/)]);
      const backup = `${box.home}/.aws/${backups[0]}`;
      expect(await readFile(backup, 'utf8')).toBe(credentialsFile(workKeys));
      expect((await stat(backup)).mode & 0o777).toBe(0o600);
      expect(result.stderr).toContain(`(the original is in ${backup}, mode 0600)`);

      // --no-session: moto answers GetCallerIdentity for a GetSessionToken session with a placeholder user.
      const whoami = await runVault(['exec', 'work', '--no-session', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], {
        env: env(box, { AWS_DEFAULT_REGION: 'us-east-1' }),
      });
      expectSuccess(whoami);
      expect(JSON.parse(whoami.stdout).Arn).toBe(userArn);
    } finally {
      await box.remove();
    }
  });

  it('asks on the terminal before removing the plaintext keys, and removes them on yes', async () => {
    const box = await boxWithCredentials();
    try {
      const term = await tty([process.execPath, vaultBin, 'import', 'work'], env(box));
      try {
        await term.waitFor(`Remove the keys of "work" from ${box.credentialsFile} now that the vault holds them?`);
        await term.type('y');
        await term.enter();
        expect(await term.exitCode()).toBe(0);
      } finally {
        await term.kill();
      }
      const expected = credentialsFile(workKeys).replace(
        `aws_access_key_id = ${workKeys.accessKeyId}\naws_secret_access_key = ${workKeys.secretAccessKey}\n`,
        '',
      );
      expect(await readFile(box.credentialsFile, 'utf8')).toBe(expected);
      expect(await readdir(`${box.home}/.aws`)).toEqual(['config', 'credentials']);
    } finally {
      await box.remove();
    }
  });

  it('refuses a profile the file does not have, naming the sections it has, and changes nothing', async () => {
    const box = await boxWithCredentials({ vault: false });
    try {
      const result = await runInProcess(['import', 'work', 'prod'], { env: env(box) });
      expectOneLineError(result, /has no \[prod\] section \(it has \[work\], \[console\], \[ci\]\)/);
      expect(await readFile(box.credentialsFile, 'utf8')).toBe(credentialsFile(workKeys));
      expect(await readdir(box.home)).not.toContain('vault-dir');
    } finally {
      await box.remove();
    }
  });

  it('refuses to import only temporary credentials', async () => {
    const box = await boxWithCredentials();
    try {
      const result = await runInProcess(['import', 'console'], { env: env(box) });
      expect(stderrLines(result)).toHaveLength(1);
      expectOneLineError(result, /no long-lived keys to import .*console: it holds temporary credentials/);
    } finally {
      await box.remove();
    }
  });
});
