import { parseProcessOutput, runCredentialProcess } from './credential-process.js';
import { runsVaultFor } from './process-marker.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const SECRET = 'proc-secret-must-not-leak';

/** A shell command printing `text` on stdout, then exiting with `status`. */
const printing = (text: string, status = 0) =>
  `node -e "process.stdout.write(Buffer.from('${Buffer.from(text).toString('base64')}', 'base64')); process.exit(${status})"`;

async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('runCredentialProcess', () => {
  it('returns the credentials the process prints', async () => {
    const json = JSON.stringify({
      Version: 1,
      AccessKeyId: 'ASIAPROC',
      SecretAccessKey: SECRET,
      SessionToken: 'tok',
      Expiration: '2999-01-01T00:00:00Z',
    });
    await expect(runCredentialProcess(printing(json), 'p', process.env)).resolves.toEqual({
      accessKeyId: 'ASIAPROC',
      secretAccessKey: SECRET,
      sessionToken: 'tok',
      expiration: new Date('2999-01-01T00:00:00Z'),
    });
  });

  it('reports a non-zero exit without the output', async () => {
    const err = await failure(runCredentialProcess(printing(`{"SecretAccessKey":"${SECRET}"}`, 2), 'p', process.env));
    expect(err.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(err.message).toBe('credential_process failed: it exited with status 2');
  });

  it('reports output that is not JSON without quoting it', async () => {
    const err = await failure(runCredentialProcess(printing(`secret=${SECRET}`), 'p', process.env));
    expect(err.message).toBe(`credential_process failed: its output is not JSON (${`secret=${SECRET}`.length} characters)`);
    expect(err.message).not.toContain(SECRET);
  });

  it('reports a command that cannot run', async () => {
    const err = await failure(runCredentialProcess('exec /nonexistent/credential-helper 2>/dev/null', 'p', process.env));
    expect(err.message).toMatch(/^credential_process failed: it exited with status 12[67]$/);
  });

  it("runs in the run's environment, less vault's passphrases, not in this process's", async () => {
    const env = { ...process.env, AWS_VAULT_FILE_PASSPHRASE: 'p1', AWS_VAULT_NEW_PASSPHRASE: 'p2', VAULT_TEST_CONTROL: 'kept' };
    const json = JSON.stringify({ Version: 1, AccessKeyId: 'AKIA1', SecretAccessKey: SECRET });
    const check = '[ -z "${AWS_VAULT_FILE_PASSPHRASE+x}${AWS_VAULT_NEW_PASSPHRASE+x}" ] && [ "$VAULT_TEST_CONTROL" = kept ]';
    expect(process.env.VAULT_TEST_CONTROL).toBeUndefined();
    await expect(runCredentialProcess(`${check} && ${printing(json)}`, 'p', env)).resolves.toEqual({ accessKeyId: 'AKIA1', secretAccessKey: SECRET });
  });

  it('tells the process which profiles it runs for, and refuses to run one for a profile a vault above it is already inside', async () => {
    const json = JSON.stringify({ Version: 1, AccessKeyId: 'AKIA1', SecretAccessKey: SECRET });
    const check = '[ "$VAULT_CREDENTIAL_PROCESS_OF" = "$(printf \'outer\\np\')" ]';
    await expect(runCredentialProcess(`${check} && ${printing(json)}`, 'p', { ...process.env, VAULT_CREDENTIAL_PROCESS_OF: 'outer' })).resolves.toMatchObject({ accessKeyId: 'AKIA1' });
    const err = await failure(runCredentialProcess(printing(json), 'p', { ...process.env, VAULT_CREDENTIAL_PROCESS_OF: 'outer\np' }));
    expect(err.message).toMatch(/^credential_process of profile p failed: it runs vault for p, which has no keys stored, .*`vault add p`/);
  });

  it('reports a process killed by a signal', async () => {
    const err = await failure(runCredentialProcess(`exec node -e "process.kill(process.pid, 'SIGTERM')"`, 'p', process.env));
    expect(err.message).toBe('credential_process failed: it was killed by SIGTERM');
  });

  it('stops a process that prints without end once it passes the bound, and says so', async () => {
    const started = Date.now();
    const err = await failure(runCredentialProcess('yes', 'p', process.env));
    expect(err.message).toMatch(/^credential_process failed: it printed more than \d+ bytes$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('parseProcessOutput', () => {
  const valid = { Version: 1, AccessKeyId: 'AKIA1', SecretAccessKey: SECRET };

  it('accepts long-lived keys without token or expiry', () => {
    expect(parseProcessOutput(JSON.stringify(valid), NOW)).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: SECRET });
  });

  it.each([
    ['[]', 'its output is not a JSON object'],
    ['null', 'its output is not a JSON object'],
    [JSON.stringify({ ...valid, Version: 2 }), 'its JSON must have "Version": 1'],
    [JSON.stringify({ ...valid, AccessKeyId: '' }), 'its JSON has no AccessKeyId'],
    [JSON.stringify({ Version: 1, AccessKeyId: 'A' }), 'its JSON has no SecretAccessKey'],
    [JSON.stringify({ ...valid, SessionToken: 5 }), 'its SessionToken is not a string'],
    [JSON.stringify({ ...valid, Expiration: 'soon' }), 'its Expiration is not an ISO 8601 time'],
    [JSON.stringify({ ...valid, Expiration: '2025-12-31T23:00:00Z' }), 'it returned credentials that expired at 2025-12-31T23:00:00.000Z'],
  ])('refuses %s', (stdout, detail) => {
    expect(() => parseProcessOutput(stdout, NOW)).toThrow(`credential_process failed: ${detail}`);
  });

  it('never quotes a secret from malformed output', () => {
    for (const stdout of [`{"SecretAccessKey":"${SECRET}"`, `{"Version":1,"SecretAccessKey":"${SECRET}"}`]) {
      expect(() => parseProcessOutput(stdout, NOW)).toThrow(/^(?!.*proc-secret).*$/);
    }
  });
});

test("runsVaultFor: vault's own export or exec of that profile, however vault is started; not another profile, not another tool", () => {
  expect(runsVaultFor('vault export --format=json --no-session base', 'base')).toBe(true);
  expect(runsVaultFor('/usr/local/bin/vault exec base --json', 'base')).toBe(true);
  expect(runsVaultFor("node '/opt/vault/bin/vault.cjs' export --format json base", 'base')).toBe(true);
  expect(runsVaultFor('vault export --format json other', 'base')).toBe(false);
  expect(runsVaultFor('aws-vault export --format json base', 'base')).toBe(false);
  expect(runsVaultFor('vault list base', 'base')).toBe(false);
  expect(runsVaultFor('my-tool base', 'base')).toBe(false);
  // Not the profile vault is run for: an option's value, a word of the command after `--`.
  expect(runsVaultFor('vault export --format json other', 'json')).toBe(false);
  expect(runsVaultFor('vault exec other -- tool base', 'base')).toBe(false);
  expect(runsVaultFor('vault exec --assume base other --json', 'base')).toBe(false);
  // The profile before or after its options.
  expect(runsVaultFor('vault export base --format json', 'base')).toBe(true);
  expect(runsVaultFor('vault exec --no-session base --json', 'base')).toBe(true);
});
