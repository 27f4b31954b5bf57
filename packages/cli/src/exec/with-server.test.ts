import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../io/context.js';
import { buildChildEnv } from './env.js';
import { containerVariables, refreshMargin, shadowingDefault, unlessRepeated } from './with-server.js';

describe('containerVariables', () => {
  it('gives the endpoint, the token and the region, and no keys', () => {
    expect(containerVariables('http://127.0.0.1:4321/credentials', 'tok', 'eu-west-2')).toEqual([
      ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://127.0.0.1:4321/credentials'],
      ['AWS_CONTAINER_AUTHORIZATION_TOKEN', 'tok'],
      ['AWS_REGION', 'eu-west-2'],
      ['AWS_DEFAULT_REGION', 'eu-west-2'],
    ]);
    expect(containerVariables('http://127.0.0.1:1/credentials', 'tok', undefined)).toHaveLength(2);
  });

  it('leaves the child no static keys or competing token source from the parent', () => {
    const parent = {
      PATH: '/bin',
      AWS_ACCESS_KEY_ID: 'AKIAPARENT',
      AWS_SECRET_ACCESS_KEY: 'parent-secret',
      AWS_SESSION_TOKEN: 'parent-token',
      AWS_CREDENTIAL_EXPIRATION: '2000-01-01T00:00:00Z',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/token',
      AWS_VAULT_FILE_PASSPHRASE: 'pw',
    };
    const env = buildChildEnv(parent, 'admin', containerVariables('http://127.0.0.1:9/credentials', 'tok', undefined));
    expect(env).toEqual({
      PATH: '/bin',
      AWS_VAULT: 'admin',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/credentials',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok',
    });
  });
});

describe('shadowingDefault', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-shadowing-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const ctx = () =>
    createContext({
      io: { env: { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') }, stdout: () => {}, stderr: () => {} },
    });

  it('names the file whose [default] the SDKs in the child would take before the endpoint', async () => {
    await writeFile(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
    expect(await shadowingDefault(ctx())).toEqual({ path: join(dir, 'credentials'), kind: 'credentials' });
    await writeFile(join(dir, 'credentials'), '[other]\naws_access_key_id = AKIAEXAMPLE\n');
    await writeFile(join(dir, 'config'), '[default]\ncredential_process = corp-creds\n');
    expect(await shadowingDefault(ctx())).toEqual({ path: join(dir, 'config'), kind: 'config' });
  });

  it('is quiet for a [default] with settings only, and for missing files', async () => {
    expect(await shadowingDefault(ctx())).toBeUndefined();
    await writeFile(join(dir, 'config'), '[default]\nregion = eu-west-1\noutput = json\n');
    expect(await shadowingDefault(ctx())).toBeUndefined();
  });
});

describe('unlessRepeated', () => {
  it('says each warning once while it repeats, and again after a reset (a renewal that worked)', () => {
    const said: string[] = [];
    const warning = unlessRepeated((line) => said.push(line));
    for (const line of ['a', 'a', 'a', 'b', 'b', 'a']) warning.say(line);
    warning.reset();
    warning.say('a');
    expect(said).toEqual(['a', 'b', 'a', 'a']);
  });
});

test("the servers renew within AWS_MIN_TTL of expiry, as exec's cache does, else within 5 minutes", () => {
  expect(refreshMargin({})).toBe(5 * 60_000);
  expect(refreshMargin({ AWS_MIN_TTL: '20m' })).toBe(20 * 60_000);
  expect(refreshMargin({ AWS_MIN_TTL: '90s' })).toBe(90_000);
});
