import { jest } from '@jest/globals';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsSetup, MOTO_ACCOUNT } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto } from './support/moto.js';
import { run, type Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { vaultBin } from './support/paths.js';
import { describeRun, runVault } from './support/vault.js';

// `vault config set-role` does what the seeds do with `aws configure set profile.X.role_arn …`: the AWS CLI's
// config reader reads the result back, and every byte vault did not mean to change is unchanged. vault edits the
// file in-process (support/in-process.ts); the built binary runs the seeds' flow to its end, the aws CLI as exec's
// command, and the real `aws configure list` finds an added profile.

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

const PASSPHRASE = 'config e2e passphrase';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/CrossAccountAdminRole`;

const ORIGINAL = [
  '# team settings, do not reorder',
  '[default]',
  'region = eu-west-1',
  '',
  '[profile admin]    ; the old role',
  'role_arn = arn:aws:iam::111111111111:role/old',
  'source_profile = default',
  'output = json',
  '',
  '; ci below',
  '[profile ci]',
  'region=us-west-2',
  '',
].join('\n');

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox({ passphrase: PASSPHRASE });
  await box.writeConfig(ORIGINAL);
});
afterEach(async () => {
  await box.remove();
});

/**
 * What `aws configure get KEY --profile PROFILE` answers for each key, read against the sandbox config by the
 * botocore session the installed AWS CLI (v1) is built on: its get reads the profile's scoped config the same way.
 * One Python start for all the keys, where each `aws` run costs about a second (differential/ does the same).
 */
async function awsConfigured(profile: string, keys: string[]): Promise<Record<string, string | null>> {
  const script =
    'import botocore.session, json, sys\n' +
    'c = botocore.session.Session(profile=sys.argv[1]).get_scoped_config()\n' +
    'print(json.dumps({k: c.get(k) for k in sys.argv[2:]}))\n';
  const result = await run('python3', ['-c', script, profile, ...keys], { env: box.env, timeoutMs: 30_000 });
  expect({ code: result.code, context: describeRun(result) }).toEqual({ code: 0, context: describeRun(result) });
  return JSON.parse(result.stdout) as Record<string, string | null>;
}

describe('vault add --add-config', () => {
  async function add(profile: string): Promise<string> {
    const keys = fakeKeys();
    const result = await runInProcess(['add', '--env', '--add-config', profile], {
      env: { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
    });
    expectSuccess(result);
    return result.stderr;
  }

  it('appends the missing section, leaving every other byte, and the AWS CLI finds the profile', async () => {
    const said = await add('newcomer');
    expect(said).toContain(`Added [profile newcomer] to ${box.configFile}.`);
    expect(await readFile(box.configFile, 'utf8')).toBe(`${ORIGINAL}\n[profile newcomer]\n`);
    // AWS CLI v1 has no list-profiles; `configure list` fails with "could not be found" for a profile it lacks.
    const listed = await run('aws', ['configure', 'list', '--profile', 'newcomer'], { env: box.env, timeoutMs: 30_000 });
    expect({ code: listed.code, context: describeRun(listed) }).toEqual({ code: 0, context: describeRun(listed) });
  });

  it('quotes a name with a space, the one header form the AWS CLI reads for it', async () => {
    const said = await add('team a');
    expect(said).toContain('Added [profile "team a"]');
    const listed = await run('aws', ['configure', 'list', '--profile', 'team a'], { env: box.env, timeoutMs: 30_000 });
    expect({ code: listed.code, context: describeRun(listed) }).toEqual({ code: 0, context: describeRun(listed) });
    // And vault reads the section back as that profile.
    const names = await runInProcess(['list', '--profiles'], { env: box.env });
    expect(names.stdout.split('\n')).toContain('team a');
  });

  it('leaves the file alone when the profile already has a section', async () => {
    const said = await add('ci');
    expect(said).not.toContain('Added [profile');
    expect(await readFile(box.configFile, 'utf8')).toBe(ORIGINAL);
  });
});

describe('vault config set-role', () => {
  it('adds a role profile the AWS CLI reads back, leaving every other byte of the file', async () => {
    const result = await runInProcess(
      ['config', 'set-role', 'testprofile', '--source', 'default', '--role-arn', ROLE, '--mfa-serial', `arn:aws:iam::${MOTO_ACCOUNT}:mfa/alice`, '--region', 'eu-west-2'],
      { env: box.env },
    );
    expectSuccess(result);
    expect(await readFile(box.configFile, 'utf8')).toBe(
      `${ORIGINAL}\n[profile testprofile]\nrole_arn = ${ROLE}\nsource_profile = default\nmfa_serial = arn:aws:iam::${MOTO_ACCOUNT}:mfa/alice\nregion = eu-west-2\n`,
    );
    expect(await awsConfigured('testprofile', ['role_arn', 'source_profile', 'mfa_serial', 'region'])).toEqual({
      role_arn: ROLE,
      source_profile: 'default',
      mfa_serial: `arn:aws:iam::${MOTO_ACCOUNT}:mfa/alice`,
      region: 'eu-west-2',
    });
  });

  it('changes an existing profile in place', async () => {
    expectSuccess(await runInProcess(['config', 'set-role', 'admin', '--source', 'ci', '--role-arn', ROLE], { env: box.env }));
    expect(await readFile(box.configFile, 'utf8')).toBe(
      ORIGINAL.replace('role_arn = arn:aws:iam::111111111111:role/old', `role_arn = ${ROLE}`).replace(
        'source_profile = default',
        'source_profile = ci',
      ),
    );
    expect(await awsConfigured('admin', ['role_arn', 'source_profile', 'output'])).toEqual({ role_arn: ROLE, source_profile: 'ci', output: 'json' });
  });

  it('refuses an invalid role ARN with a usage error and leaves the file alone', async () => {
    const result = await runInProcess(['config', 'set-role', 'admin', '--source', 'default', '--role-arn', 'arn:aws:iam::1234567890:role/iam_role'], {
      env: box.env,
    });
    expectOneLineError(result, /--role-arn .* is not valid: the account id has 10 digits; AWS account ids have 12/, 2);
    expect(await readFile(box.configFile, 'utf8')).toBe(ORIGINAL);
  });

  it('leaves a config file its user may not write as it is (0444), where the atomic rename would have replaced it', async () => {
    // As root every file is writable: the binary then runs as nobody, on files nobody owns.
    const dir = await mkdtemp(join(tmpdir(), 'vault-readonly-'));
    try {
      const config = join(dir, 'config');
      await writeFile(config, '[profile a]\n');
      await chmod(config, 0o444);
      const asRoot = process.geteuid?.() === 0;
      if (asRoot) await Promise.all([chown(dir, 65534, 65534), chown(config, 65534, 65534)]);
      const vault = ['config', 'set-role', 'a', '--source', 'b', '--role-arn', ROLE];
      const env = { ...box.env, HOME: dir, AWS_CONFIG_FILE: config };
      const result = asRoot
        ? await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, vaultBin, ...vault], { env })
        : await runVault(vault, { env });
      expectOneLineError(result, /is not writable for you \(EACCES\), so vault leaves it as it is/);
      expect(await readFile(config, 'utf8')).toBe('[profile a]\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives a profile vault exec can assume (the seeds flow, against moto)', async () => {
    const moto = await sharedMoto();
    const setup = awsSetup(moto);
    await setup.createUser('trusted-admin');
    const keys = await setup.createAccessKey('trusted-admin');
    const roleArn = await setup.createRole('CrossAccountAdminRole');
    const env: Env = { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, AWS_DEFAULT_REGION: 'us-east-1' };
    expectSuccess(
      await runInProcess(['add', '--env', 'default'], {
        env: { ...env, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
      }),
    );
    expectSuccess(await runInProcess(['config', 'set-role', 'testprofile', '--source', 'default', '--role-arn', roleArn], { env }));
    const result = await runVault(['exec', 'testprofile', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], { env });
    expectSuccess(result);
    expect(JSON.parse(result.stdout).Arn).toMatch(new RegExp(`^arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/CrossAccountAdminRole/`));
  });
});
