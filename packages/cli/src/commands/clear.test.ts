import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putCredentials, putSession, putSsoTokens, VaultFile, type CachedSession, type KdfParams, type SsoToken } from '@vault/core';
import type { Context } from '../io/context.js';
import { createRedactor } from '../io/redact.js';
import { clear, clearedMessage } from './clear.js';

const FAST: KdfParams = { alg: 'argon2id13', opslimit: 1, memlimit: 8192 * 1024 };
const PASS = 'clear test passphrase';

function session(profiles: string[]): CachedSession {
  return {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: '2099-01-01T00:00:00Z',
    profile: profiles.at(-1) as string,
    chain: profiles.join(' -> '),
    profiles,
  };
}

let dir: string;
let info: string[];
let ctx: Context;

/** A vault holding read-only's keys and the sessions of read-only, admin (from read-only) and backup (from admin). */
async function seededVault(): Promise<VaultFile> {
  const file = new VaultFile(ctx.vaultPath);
  const key = await file.create(PASS, FAST);
  await file.update(key, (d) =>
    [['read-only'], ['read-only', 'admin'], ['read-only', 'admin', 'backup']].reduce(
      (acc, profiles) => putSession(acc, profiles.join('|'), session(profiles)),
      putCredentials(d, 'read-only', { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x', addedAt: '2026-01-01T00:00:00Z' }),
    ),
  );
  return file;
}

async function remaining(file: VaultFile): Promise<string[]> {
  const data = await file.read(await file.unlock(PASS));
  return Object.keys(data.sessions).sort();
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-clear-'));
  info = [];
  await writeFile(join(dir, 'config'), '[profile read-only]\n\n[profile admin]\n\n[profile backup]\n');
  ctx = {
    env: { AWS_VAULT_FILE_PASSPHRASE: PASS },
    vaultPath: join(dir, 'vault-dir', 'vault'),
    configPath: join(dir, 'config'),
    credentialsPath: join(dir, 'credentials'),
    prompter: {
      secret: () => Promise.reject(new Error('no prompt expected')),
      text: () => Promise.reject(new Error('no prompt expected')),
      confirm: () => Promise.reject(new Error('no prompt expected')),
      select: () => Promise.reject(new Error('no prompt expected')),
    },
    clock: () => new Date('2026-01-01T00:00:00Z'),
    redactor: createRedactor(),
    debug: () => {},
    verbose: () => {},
    info: (m) => info.push(m),
    stdout: () => {},
    interactive: () => false,
    stdoutIsTerminal: () => false,
    settingName: (variable) => variable,
    notice: () => {},
    status: () => () => {},
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('clearedMessage', () => {
  it('counts sessions in a sentence, naming the profile when given', () => {
    expect(clearedMessage(0, undefined)).toBe('Cleared 0 cached sessions.');
    expect(clearedMessage(1, 'admin')).toBe('Cleared 1 cached session of profile admin.');
    expect(clearedMessage(3, undefined)).toBe('Cleared 3 cached sessions.');
  });
});

describe('vault clear', () => {
  it('drops every session, keeping the stored keys', async () => {
    const file = await seededVault();
    await clear(ctx, {});
    expect(info).toEqual(['Cleared 3 cached sessions.']);
    expect(await remaining(file)).toEqual([]);
    expect(Object.keys((await file.read(await file.unlock(PASS))).credentials)).toEqual(['read-only']);
  });

  it("with a profile, drops its sessions and those built on it, not its source's", async () => {
    const file = await seededVault();
    await clear(ctx, { profile: 'admin' });
    expect(info).toEqual(['Cleared 2 cached sessions of profile admin.']);
    expect(await remaining(file)).toEqual(['read-only']);
  });

  it('succeeds with nothing to clear for a known profile', async () => {
    const file = await seededVault();
    await clear(ctx, { profile: 'backup' });
    await clear(ctx, { profile: 'backup' });
    expect(info).toEqual(['Cleared 1 cached session of profile backup.', 'Cleared 0 cached sessions of profile backup.']);
    expect(await remaining(file)).toEqual(['read-only', 'read-only|admin']);
  });

  it('names an unknown profile with suggestions instead of clearing nothing', async () => {
    await seededVault();
    await expect(clear(ctx, { profile: 'admn' })).rejects.toMatchObject({
      code: 'UNKNOWN_PROFILE',
      message: expect.stringContaining('did you mean admin?'),
    });
    expect(info).toEqual([]);
  });

  it("with an IAM Identity Center profile, drops its own sign-in (not one a role reaches, nor another's), as aws-vault does", async () => {
    await writeFile(
      ctx.configPath,
      '[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\n' +
        '[profile on-sso]\nsource_profile = sso\nrole_arn = arn:aws:iam::123456789012:role/r\n\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n',
    );
    const token: SsoToken = { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', accessToken: 't', expiresAt: '2099-01-01T00:00:00Z' };
    const file = new VaultFile(ctx.vaultPath);
    const key = await file.create(PASS, FAST);
    await file.update(key, (d) => putSsoTokens(d, [['corp', token], ['other', token]]));
    const tokens = async () => Object.keys((await file.read(await file.unlock(PASS))).ssoTokens ?? {});
    await clear(ctx, { profile: 'on-sso' });
    expect(await tokens()).toEqual(['corp', 'other']);
    await clear(ctx, { profile: 'sso' });
    expect(await tokens()).toEqual(['other']);
    expect(info).toEqual(['Cleared 0 cached sessions of profile on-sso.', 'Cleared 1 cached session of profile sso.']);
  });

  it('without a vault, clears nothing and asks for no passphrase', async () => {
    ctx.env = {};
    await clear(ctx, {});
    await clear(ctx, { profile: 'admin' });
    expect(info).toEqual(['Cleared 0 cached sessions.', 'Cleared 0 cached sessions of profile admin.']);
    await expect(clear(ctx, { profile: 'nope' })).rejects.toMatchObject({ code: 'UNKNOWN_PROFILE' });
  });
});
