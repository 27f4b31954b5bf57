import type { CachedSession } from '@vault/core';
import type { Chain, Hop } from '@vault/profiles';
import { resolveCredentials } from './chain.js';
import { runCredentialProcess } from './credential-process.js';
import { StsError, type StsErrorCode, type StsFailure } from './errors.js';
import { fakeSts, type Call } from './fake-sts.fixture.js';
import type { Deps, ResolveOptions, SessionStore } from './types.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const BASE_KEYS = { accessKeyId: 'AKIABASEKEY000000001', secretAccessKey: 'base-secret-0123456789abcdefghijklmnop' };
const ADMIN = 'arn:aws:iam::123456789012:role/admin';
const AUDIT = 'arn:aws:iam::210987654321:role/audit';
const BACKUP = 'arn:aws:iam::987654321098:role/backup';
const MFA = 'arn:aws:iam::123456789012:mfa/alice';

/** Like the CLI's store: sessions expiring within 5 minutes are not returned. */
function fakeStore(now: () => number, keys: Record<string, typeof BASE_KEYS> = { 'read-only': BASE_KEYS }) {
  const sessions = new Map<string, CachedSession>();
  const store: SessionStore = {
    baseKeys: (profile) => keys[profile],
    session: (key) => {
      const s = sessions.get(key);
      return s && Date.parse(s.expiration) > now() + 5 * 60_000 ? s : undefined;
    },
    longestSession: (prefix) =>
      [...sessions.keys()]
        .filter((k) => k.startsWith(prefix))
        .flatMap((k) => store.session(k) ?? [])
        .sort((a, b) => Date.parse(b.expiration) - Date.parse(a.expiration))[0],
    save: (key, session) => void sessions.set(key, session),
  };
  return { store, sessions };
}

function setup(options: { fail?: (call: Call) => unknown; identityArn?: string; keys?: Record<string, typeof BASE_KEYS> } = {}) {
  let now = T0;
  const clock = () => now;
  const sts = fakeSts(clock, options);
  const { store, sessions } = fakeStore(clock, options.keys);
  const prompts: string[] = [];
  const logs: string[] = [];
  const progress: string[] = [];
  const ssoCalls: string[] = [];
  const deps: Deps = {
    sts: sts.factory,
    store,
    promptMfa: async (serial) => {
      prompts.push(serial);
      return '123456';
    },
    runCredentialProcess: async () => {
      throw new Error('no credential_process expected');
    },
    sso: async () => {
      ssoCalls.push('GetRoleCredentials');
      return { accessKeyId: 'ASIASSO', secretAccessKey: `sso-secret-${ssoCalls.length}`, sessionToken: 'sso-token', expiration: new Date(now + 3600_000) };
    },
    machineCredentials: async (source) => ({ accessKeyId: 'AKIAMACHINE', secretAccessKey: `machine-${source}` }),
    readTokenFile: async () => 'web-token\n',
    clock: () => new Date(now),
    log: (m) => logs.push(m),
    progress: (m) => progress.push(m),
  };
  return {
    deps,
    calls: sts.calls,
    sessions,
    prompts,
    logs,
    progress,
    ssoCalls,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const opts = (o: Partial<ResolveOptions> = {}): ResolveOptions => ({ noSession: false, assume: [], ...o });

function chainOf(hops: Array<Partial<Hop> & { roleArn: string; profile: string }>, baseMfa?: string): Chain {
  return {
    profile: hops.at(-1)?.profile ?? 'read-only',
    base: { kind: 'vault-keys', profile: 'read-only', ...(baseMfa && { mfaSerial: baseMfa }) },
    hops,
    path: ['read-only', ...hops.map((h) => h.profile)],
  };
}

const readOnly = (mfa?: string) => chainOf([], mfa);
const admin = (extra: Partial<Hop> = {}, baseMfa?: string) => chainOf([{ profile: 'admin', roleArn: ADMIN, ...extra }], baseMfa);
/** aws-vault's rule: a role chain starts from a GetSessionToken session when the keys' profile and the first role name the same device. */
const sharedMfa = () => admin({ mfaSerial: MFA }, MFA);
const backup = (auditExtra: Partial<Hop> = {}, mfa?: string) =>
  chainOf(
    [
      { profile: 'admin', roleArn: ADMIN, ...(mfa && { mfaSerial: mfa }) },
      { profile: 'audit', roleArn: AUDIT, ...auditExtra },
      { profile: 'backup', roleArn: BACKUP },
    ],
    mfa,
  );

function stsError(code: StsErrorCode, awsCode: string, awsMessage: string, operation: StsFailure['operation'] = 'AssumeRole') {
  return new StsError(code, `raw ${awsCode}`, { operation, awsCode, awsMessage, endpoint: 'https://sts.us-east-1.amazonaws.com' });
}

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('a profile without a role', () => {
  it('gets a one-hour GetSessionToken session with the stored keys and caches it', async () => {
    const t = setup();
    const creds = await resolveCredentials(readOnly(), opts({ region: 'eu-west-1' }), t.deps);
    expect(t.calls).toEqual([
      { op: 'GetSessionToken', with: BASE_KEYS.secretAccessKey, region: 'eu-west-1', params: { durationSeconds: 3600 } },
    ]);
    expect(creds).toEqual({
      accessKeyId: 'ASIAISSUED1',
      secretAccessKey: 'issued-secret-1',
      sessionToken: 'issued-token-1',
      expiration: new Date(T0 + 3600_000),
    });
    expect([...t.sessions]).toEqual([
      [
        'gst|read-only|-|3600',
        {
          accessKeyId: 'ASIAISSUED1',
          secretAccessKey: 'issued-secret-1',
          sessionToken: 'issued-token-1',
          expiration: new Date(T0 + 3600_000).toISOString(),
          profile: 'read-only',
          chain: 'read-only',
          profiles: ['read-only'],
        },
      ],
    ]);
  });

  it('uses --duration for GetSessionToken, up to 36h', async () => {
    const t = setup();
    await resolveCredentials(readOnly(), opts({ durationSeconds: 36 * 3600 }), t.deps);
    expect(t.calls.map((c) => c.params)).toEqual([{ durationSeconds: 129600 }]);
    expect([...t.sessions.keys()]).toEqual(['gst|read-only|-|129600']);
  });

  it.each([600, 36 * 3600 + 1])('refuses --duration %i s before any call, naming the range', async (seconds) => {
    const t = setup();
    const err = await rejection(resolveCredentials(readOnly(), opts({ durationSeconds: seconds }), t.deps));
    expect(err.code).toBe('INVALID_DURATION');
    expect(err.message).toContain('GetSessionToken allows: 15m to 36h (900..129600 seconds)');
    expect(t.calls).toEqual([]);
  });

  it('--no-session returns the stored keys: no STS call, nothing cached', async () => {
    const t = setup();
    const creds = await resolveCredentials(readOnly(MFA), opts({ noSession: true }), t.deps);
    expect(creds).toEqual(BASE_KEYS);
    expect(t.calls).toEqual([]);
    expect(t.sessions.size).toBe(0);
    expect(t.prompts).toEqual([]);
  });

  it('fails with NoStoredKeysError when the vault has no keys for the base profile', async () => {
    const t = setup({ keys: {} });
    const err = await rejection(resolveCredentials(readOnly(), opts(), t.deps));
    expect(err.code).toBe('NO_STORED_KEYS');
    expect(err.message).toBe('no keys are stored in the vault for profile read-only');
  });

  it('a second resolve makes no STS call', async () => {
    const t = setup();
    const first = await resolveCredentials(readOnly(), opts(), t.deps);
    t.advance(30 * 60_000);
    const second = await resolveCredentials(readOnly(), opts(), t.deps);
    expect(second).toEqual(first);
    expect(t.calls).toHaveLength(1);
  });
});

describe('role hops', () => {
  it('assumes the first hop straight from the stored keys when no MFA device is shared, as aws-vault and the AWS CLI do', async () => {
    const t = setup();
    const creds = await resolveCredentials(admin(), opts(), t.deps);
    expect(t.calls).toEqual([
      {
        op: 'AssumeRole',
        with: BASE_KEYS.secretAccessKey,
        region: undefined,
        params: { roleArn: ADMIN, roleSessionName: `${T0}000000`, durationSeconds: 3600 },
      },
    ]);
    expect(creds.secretAccessKey).toBe('issued-secret-1');
    expect([...t.sessions.keys()]).toEqual([`ar|read-only|-|${ADMIN}#3600`]);
    expect(t.sessions.get(`ar|read-only|-|${ADMIN}#3600`)).toMatchObject({
      profile: 'admin',
      chain: 'read-only -> admin',
      profiles: ['read-only', 'admin'],
    });
    expect(t.progress).toEqual([`Switched to role ${ADMIN}`]);
    expect(t.logs.join('\n')).not.toContain('Switched');
  });

  it('assumes the first hop with an 8h base session when the keys and the role name the same MFA device, both cached', async () => {
    const t = setup();
    const creds = await resolveCredentials(sharedMfa(), opts(), t.deps);
    expect(t.calls).toEqual([
      {
        op: 'GetSessionToken',
        with: BASE_KEYS.secretAccessKey,
        region: undefined,
        params: { durationSeconds: 28800, serialNumber: MFA, tokenCode: '123456' },
      },
      {
        op: 'AssumeRole',
        with: 'issued-secret-1',
        region: undefined,
        params: { roleArn: ADMIN, roleSessionName: `${T0}000000`, durationSeconds: 3600 },
      },
    ]);
    expect(creds.secretAccessKey).toBe('issued-secret-2');
    expect([...t.sessions.keys()]).toEqual([`gst|read-only|${MFA}|28800`, `ar|read-only|${MFA}|${ADMIN}#3600`]);
    expect(t.prompts).toEqual([MFA]);
  });

  it.each([
    ['the keys only: no code is asked for the role', MFA, undefined, undefined],
    ['the role only: the code goes with its AssumeRole', undefined, MFA, MFA],
    ['different devices: the role asks with its own', 'arn:aws:iam::123456789012:mfa/keys', MFA, MFA],
  ])('with an MFA device on %s', async (_, baseMfa, roleMfa, sent) => {
    const t = setup();
    await resolveCredentials(admin(roleMfa ? { mfaSerial: roleMfa } : {}, baseMfa), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with, c.params.serialNumber])).toEqual([['AssumeRole', BASE_KEYS.secretAccessKey, sent]]);
    expect(t.prompts).toEqual(sent ? [sent] : []);
  });

  it('assumes the role of a profile holding its own keys straight from them, with its device', async () => {
    const t = setup({ keys: { admin: BASE_KEYS } });
    const own: Chain = {
      profile: 'admin',
      base: { kind: 'vault-keys', profile: 'admin', mfaSerial: MFA },
      hops: [{ profile: 'admin', roleArn: ADMIN, mfaSerial: MFA }],
      path: ['admin'],
    };
    await resolveCredentials(own, opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with, c.params.serialNumber])).toEqual([['AssumeRole', BASE_KEYS.secretAccessKey, MFA]]);
  });

  it('assumes a first hop longer than 1h directly with the stored keys, MFA on that AssumeRole', async () => {
    const t = setup();
    await resolveCredentials(sharedMfa(), opts({ durationSeconds: 2 * 3600 }), t.deps);
    expect(t.calls).toEqual([
      {
        op: 'AssumeRole',
        with: BASE_KEYS.secretAccessKey,
        region: undefined,
        params: {
          roleArn: ADMIN,
          roleSessionName: `${T0}000000`,
          durationSeconds: 7200,
          serialNumber: MFA,
          tokenCode: '123456',
        },
      },
    ]);
    expect([...t.sessions.keys()]).toEqual([`ar|read-only|${MFA}|${ADMIN}#7200`]);
  });

  it('takes a configured duration_seconds over 1h the same way', async () => {
    const t = setup();
    await resolveCredentials(admin({ durationSeconds: 43200 }), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with, c.params.durationSeconds])).toEqual([
      ['AssumeRole', BASE_KEYS.secretAccessKey, 43200],
    ]);
  });

  it('--no-session assumes the first hop with the stored keys', async () => {
    const t = setup();
    await resolveCredentials(admin(), opts({ noSession: true }), t.deps);
    expect(t.calls.map((c) => [c.op, c.with])).toEqual([['AssumeRole', BASE_KEYS.secretAccessKey]]);
  });

  it('refuses more than 1h for a hop assumed from another role, explaining the cap, before any call', async () => {
    const t = setup();
    const err = await rejection(resolveCredentials(backup(), opts({ durationSeconds: 7200 }), t.deps));
    expect(err.code).toBe('INVALID_DURATION');
    expect(err.message).toBe(
      '--duration (2h) is too long for backup: it is assumed with the role session of audit, ' +
        'and AWS caps such role-chaining sessions at 1h; use 3600 seconds (1h) or less',
    );
    expect(t.calls).toEqual([]);
  });

  it('refuses a configured duration_seconds over 1h on a chained hop, naming the profile', async () => {
    const t = setup();
    const err = await rejection(resolveCredentials(backup({ durationSeconds: 5400 }), opts(), t.deps));
    expect(err.message).toMatch(/^duration_seconds of profile audit \(1h30m\) is too long for audit: .* at 1h; use 3600 seconds \(1h\) or less$/);
  });

  it('refuses an AssumeRole duration outside 15m..12h', async () => {
    const t = setup();
    const err = await rejection(resolveCredentials(admin(), opts({ durationSeconds: 13 * 3600 }), t.deps));
    expect(err.message).toContain('AssumeRole allows: 15m to 12h (900..43200 seconds)');
  });

  it('walks three hops across accounts, each with the previous credentials', async () => {
    const t = setup();
    const creds = await resolveCredentials(backup({}, MFA), opts({ durationSeconds: 1800 }), t.deps);
    expect(t.calls.map((c) => [c.op, c.with, c.params.roleArn, c.params.durationSeconds])).toEqual([
      ['GetSessionToken', BASE_KEYS.secretAccessKey, undefined, 28800],
      ['AssumeRole', 'issued-secret-1', ADMIN, 3600],
      ['AssumeRole', 'issued-secret-2', AUDIT, 3600],
      ['AssumeRole', 'issued-secret-3', BACKUP, 1800],
    ]);
    expect(creds.secretAccessKey).toBe('issued-secret-4');
    const last = t.sessions.get(`ar|read-only|${MFA}|${ADMIN}#3600|${AUDIT}#3600|${BACKUP}#1800`);
    expect(last).toMatchObject({
      profile: 'backup',
      chain: 'read-only -> admin -> audit -> backup',
      profiles: ['read-only', 'admin', 'audit', 'backup'],
    });
    expect(t.sessions.size).toBe(4);
    expect(t.progress).toEqual([ADMIN, AUDIT, BACKUP].map((a) => `Switched to role ${a}`));
  });

  it('a second resolve of the chain makes no STS call and asks no MFA', async () => {
    const t = setup();
    const first = await resolveCredentials(backup(), opts(), t.deps);
    const callsBefore = t.calls.length;
    t.progress.length = 0;
    const second = await resolveCredentials(backup(), opts(), t.deps);
    expect(t.calls).toHaveLength(callsBefore);
    expect(second).toEqual(first);
    expect(t.progress).toEqual([
      `Using the cached session of read-only -> admin -> audit -> backup (valid until ${new Date(T0 + 3600_000).toISOString()})`,
    ]);
  });

  it('starts from the longest cached prefix: an expired hop is renewed from the cached base session', async () => {
    const t = setup();
    await resolveCredentials(backup({}, MFA), opts(), t.deps);
    t.calls.length = 0;
    t.advance(58 * 60_000); // role sessions (1h) are now within 5 minutes of expiry; the 8h base session is not
    await resolveCredentials(backup({}, MFA), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with, c.params.roleArn])).toEqual([
      ['AssumeRole', 'issued-secret-1', ADMIN],
      ['AssumeRole', 'issued-secret-5', AUDIT],
      ['AssumeRole', 'issued-secret-6', BACKUP],
    ]);
  });

  it('continues after a cached middle hop', async () => {
    const t = setup();
    await resolveCredentials(chainOf([{ profile: 'admin', roleArn: ADMIN }, { profile: 'audit', roleArn: AUDIT }]), opts(), t.deps);
    t.calls.length = 0;
    await resolveCredentials(backup(), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with, c.params.roleArn])).toEqual([['AssumeRole', 'issued-secret-2', BACKUP]]);
  });

  it('keys sessions by session name, external id and source identity when configured', async () => {
    const t = setup();
    await resolveCredentials(admin({ roleSessionName: 'alice', externalId: 'x|y', sourceIdentity: 'alice' }), opts(), t.deps);
    expect(t.calls[0]?.params).toEqual({
      roleArn: ADMIN,
      roleSessionName: 'alice',
      durationSeconds: 3600,
      externalId: 'x|y',
      sourceIdentity: 'alice',
    });
    expect(t.sessions.has(`ar|read-only|-|${ADMIN}#3600#sn=alice#ext=x%7Cy#si=alice`)).toBe(true);
  });
});

describe('MFA', () => {
  it('sends the shared MFA with the base GetSessionToken, prompting once', async () => {
    const t = setup();
    await resolveCredentials(backup({}, MFA), opts(), t.deps);
    await resolveCredentials(sharedMfa(), opts(), t.deps);
    expect(t.prompts).toEqual([MFA]);
    const gst = t.calls.filter((c) => c.op === 'GetSessionToken').at(-1);
    expect(gst?.params).toEqual({ durationSeconds: 28800, serialNumber: MFA, tokenCode: '123456' });
    expect(t.calls.filter((c) => c.op === 'AssumeRole').every((c) => c.params.tokenCode === undefined)).toBe(true);
  });

  it('keys the cache of a role assumed with MFA from the keys with its device', async () => {
    const t = setup();
    await resolveCredentials(admin({ mfaSerial: MFA }), opts(), t.deps);
    expect(t.calls[0]?.params).toMatchObject({ serialNumber: MFA, tokenCode: '123456' });
    expect([...t.sessions.keys()]).toEqual([`ar|read-only|${MFA}|${ADMIN}#3600`]);
  });

  it('reuses the MFA session of the same keys whatever its length: one code for `exec mfa-user` then a role', async () => {
    const t = setup();
    await resolveCredentials(readOnly(MFA), opts(), t.deps);
    await resolveCredentials(sharedMfa(), opts(), t.deps);
    await resolveCredentials(readOnly(MFA), opts(), t.deps);
    expect(t.prompts).toEqual([MFA]);
    expect(t.calls.map((c) => c.op)).toEqual(['GetSessionToken', 'AssumeRole']);
    expect(t.calls[1]?.with).toBe('issued-secret-1');
  });

  it('does not stand in a session of another length for an explicit --duration, nor another MFA device', async () => {
    const t = setup();
    await resolveCredentials(readOnly(MFA), opts(), t.deps);
    await resolveCredentials(readOnly(MFA), opts({ durationSeconds: 7200 }), t.deps);
    await resolveCredentials(readOnly(), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.params.durationSeconds, c.params.serialNumber])).toEqual([
      ['GetSessionToken', 3600, MFA],
      ['GetSessionToken', 7200, MFA],
      ['GetSessionToken', 3600, undefined],
    ]);
  });

  it('uses --mfa-token without prompting', async () => {
    const t = setup();
    await resolveCredentials(readOnly(MFA), opts({ mfaToken: ' 654321 ' }), t.deps);
    expect(t.prompts).toEqual([]);
    expect(t.calls[0]?.params).toEqual({ durationSeconds: 3600, serialNumber: MFA, tokenCode: '654321' });
  });

  it.each(['12345', '1234567', 'abcdef', ''])('refuses a malformed code %p without echoing it', async (code) => {
    const t = setup();
    const err = await rejection(resolveCredentials(readOnly(MFA), opts({ mfaToken: code }), t.deps));
    expect(err.code).toBe('INVALID_MFA_TOKEN');
    expect(err.message).toBe(`the MFA code given with --mfa-token for ${MFA} is not 6 digits`);
    expect(t.calls).toEqual([]);
  });

  it('refuses a malformed prompted code', async () => {
    const t = setup();
    t.deps.promptMfa = async () => '12 34';
    const err = await rejection(resolveCredentials(readOnly(MFA), opts(), t.deps));
    expect(err.message).toBe(`the MFA code for ${MFA} is not 6 digits`);
  });

  it('does not ask when every session is cached', async () => {
    const t = setup();
    await resolveCredentials(sharedMfa(), opts(), t.deps);
    t.deps.promptMfa = async () => {
      throw new Error('must not prompt');
    };
    await resolveCredentials(sharedMfa(), opts(), t.deps);
    expect(t.calls).toHaveLength(2);
  });
});

describe("aws-vault's rule for MFA along a chain", () => {
  const A = MFA;
  const B = 'arn:aws:iam::123456789012:mfa/bob';
  const TOP = 'arn:aws:iam::123456789012:role/top';
  /** ro (the keys) -> optional mid (source_profile, no role_arn) -> roles; `-` is no device. */
  function shape(ro: string | undefined, mid: string | undefined | null, roles: Array<string | undefined>): Chain {
    const hops = roles.map((mfaSerial, i) => ({ profile: i === 0 ? 'admin' : 'top', roleArn: i === 0 ? ADMIN : TOP, ...(mfaSerial && { mfaSerial }) }));
    const passThrough = mid === null ? undefined : [{ profile: 'mid', ...(mid && { mfaSerial: mid }) }];
    return {
      profile: hops.at(-1)?.profile ?? (mid === null ? 'read-only' : 'mid'),
      base: { kind: 'vault-keys', profile: 'read-only', ...(ro && { mfaSerial: ro }), ...(passThrough && { passThrough }) },
      hops,
      path: ['read-only', ...(mid === null ? [] : ['mid']), ...hops.map((h) => h.profile)],
    };
  }
  const calls = (t: ReturnType<typeof setup>) => t.calls.map((c) => [c.op, c.params.serialNumber, c.params.durationSeconds]);

  it.each([
    ['a later role with a device of its own sends its code', shape(undefined, null, [undefined, A]), [['AssumeRole', undefined, 3600], ['AssumeRole', A, 3600]]],
    ['two roles on one device, no base session: a code each', shape(undefined, null, [A, A]), [['AssumeRole', A, 3600], ['AssumeRole', A, 3600]]],
    ['the keys and both roles on one device: one code, for the base session', shape(A, null, [A, A]), [['GetSessionToken', A, 28800], ['AssumeRole', undefined, 3600], ['AssumeRole', undefined, 3600]]],
    ['a later role on another device than the base session asks for its own', shape(A, null, [A, B]), [['GetSessionToken', A, 28800], ['AssumeRole', undefined, 3600], ['AssumeRole', B, 3600]]],
    ['A / - / A: the borrowing profile names no device, so no session', shape(A, undefined, [A]), [['AssumeRole', A, 3600]]],
    ['A / A / -: the keys and the borrower share a device, so the session opens on the keys', shape(A, A, [undefined]), [['GetSessionToken', A, 28800], ['AssumeRole', undefined, 3600]]],
    ['A / A / B: the session on the keys, then the role with its own device', shape(A, A, [B]), [['GetSessionToken', A, 28800], ['AssumeRole', B, 3600]]],
    ['A / B / B: the session opens at the borrower, with its device', shape(A, B, [B]), [['GetSessionToken', B, 28800], ['AssumeRole', undefined, 3600]]],
    ['A / B / A: no level shares a device with the one above it', shape(A, B, [A]), [['AssumeRole', A, 3600]]],
    ['a borrowing target: its own device, a 1 h session', shape(A, undefined, []), [['GetSessionToken', undefined, 3600]]],
    ['a borrowing target with another device than the keys', shape(A, B, []), [['GetSessionToken', B, 3600]]],
    ['a borrowing target sharing the keys\' device: the 8 h session of a chain', shape(A, A, []), [['GetSessionToken', A, 28800]]],
  ])('%s', async (_, chain, expected) => {
    const t = setup();
    await resolveCredentials(chain, opts(), t.deps);
    expect(calls(t)).toEqual(expected);
    expect(t.prompts).toEqual(expected.flatMap(([, serial]) => (serial ? [serial] : [])));
  });

  it('--mfa-token gives the code of every call that sends one, as in aws-vault', async () => {
    const t = setup();
    await resolveCredentials(shape(undefined, null, [A, B]), opts({ mfaToken: '135791' }), t.deps);
    expect(t.calls.map((c) => c.params.tokenCode)).toEqual(['135791', '135791']);
    expect(t.prompts).toEqual([]);
  });

  it("keys a later role's session with its device, so adding mfa_serial starts a new session", async () => {
    const t = setup();
    await resolveCredentials(shape(undefined, null, [undefined, undefined]), opts(), t.deps);
    await resolveCredentials(shape(undefined, null, [undefined, A]), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.params.roleArn, c.params.serialNumber])).toEqual([
      ['AssumeRole', ADMIN, undefined],
      ['AssumeRole', TOP, undefined],
      ['AssumeRole', TOP, A],
    ]);
    expect([...t.sessions.keys()].at(-1)).toBe(`ar|read-only|-|${ADMIN}#3600|${TOP}#3600#mfa=${A.replace(/\|/g, '%7C')}`);
  });

  it('says an --assume hop after a role sends no code, rather than naming a profile to set mfa_serial on', async () => {
    const t = setup({ fail: (c) => (c.params.roleArn === 'arn:aws:iam::123456789012:role/worker' ? stsError('STS_ACCESS_DENIED', 'AccessDenied', 'denied') : undefined) });
    const err = await rejection(resolveCredentials(admin(), opts({ assume: ['worker'] }), t.deps));
    expect(err.message).toContain('no MFA code was sent: an --assume hop after a role sends none');
    const denied = await rejection(resolveCredentials(shape(undefined, null, []), opts({ assume: ['worker'] }), setup({ fail: (c) => (c.op === 'AssumeRole' ? stsError('STS_ACCESS_DENIED', 'AccessDenied', 'denied') : undefined) }).deps));
    expect(denied.message).toContain('set mfa_serial on profile read-only');
  });

  it('names the device that went with an earlier role when a later one is denied', async () => {
    const t = setup({ fail: (c) => (c.params.roleArn === TOP ? stsError('STS_ACCESS_DENIED', 'AccessDenied', 'denied') : undefined) });
    const err = await rejection(resolveCredentials(shape(undefined, null, [A, undefined]), opts(), t.deps));
    expect(err.message).toContain(`(a code from ${A} was used)`);
  });
});

describe('--assume', () => {
  it('resolves a bare role name in the account of the previous hop, without GetCallerIdentity', async () => {
    const t = setup();
    await resolveCredentials(admin(), opts({ assume: ['ec2-worker'] }), t.deps);
    expect(t.calls.map((c) => [c.op, c.params.roleArn])).toEqual([
      ['AssumeRole', ADMIN],
      ['AssumeRole', 'arn:aws:iam::123456789012:role/ec2-worker'],
    ]);
    expect(t.sessions.get(`ar|read-only|-|${ADMIN}#3600|ec2-worker#3600`)).toMatchObject({
      profile: 'admin',
      chain: 'read-only -> admin -> --assume ec2-worker',
      profiles: ['read-only', 'admin'],
    });
  });

  it('asks GetCallerIdentity for the account when no role ARN comes before, then follows ARNs', async () => {
    const t = setup({ identityArn: 'arn:aws-cn:iam::555555555555:user/alice' });
    const chain = readOnly();
    await resolveCredentials(chain, opts({ assume: ['ec2-worker', BACKUP, 'reader'], durationSeconds: 900 }), t.deps);
    expect(t.calls.map((c) => [c.op, c.with, c.params.roleArn, c.params.durationSeconds])).toEqual([
      ['GetSessionToken', BASE_KEYS.secretAccessKey, undefined, 28800],
      ['GetCallerIdentity', 'issued-secret-1', undefined, undefined],
      ['AssumeRole', 'issued-secret-1', 'arn:aws-cn:iam::555555555555:role/ec2-worker', 3600],
      ['AssumeRole', 'issued-secret-2', BACKUP, 3600],
      ['AssumeRole', 'issued-secret-3', 'arn:aws:iam::987654321098:role/reader', 900],
    ]);
    expect(t.progress).toEqual([
      'Switched to role arn:aws-cn:iam::555555555555:role/ec2-worker',
      `Switched to role ${BACKUP}`,
      'Switched to role arn:aws:iam::987654321098:role/reader',
    ]);
    t.calls.length = 0;
    await resolveCredentials(chain, opts({ assume: ['ec2-worker', BACKUP, 'reader'], durationSeconds: 900 }), t.deps);
    expect(t.calls).toEqual([]);
  });
});

describe('credential_process base', () => {
  const processChain = (hops: Hop[] = []): Chain => ({
    profile: hops.at(-1)?.profile ?? 'sso',
    base: {
      kind: 'credential_process',
      profile: 'sso',
      command: `node -e "process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'AKIAPROC',SecretAccessKey:'proc-secret-123456'}))"`,
    },
    hops,
    path: ['sso', ...hops.map((h) => h.profile)],
  });

  it('uses the process output as it is, caching nothing', async () => {
    const t = setup();
    t.deps.runCredentialProcess = (command, profile) => runCredentialProcess(command, profile, process.env);
    const creds = await resolveCredentials(processChain(), opts(), t.deps);
    expect(creds).toEqual({ accessKeyId: 'AKIAPROC', secretAccessKey: 'proc-secret-123456' });
    expect(t.calls).toEqual([]);
    expect(t.sessions.size).toBe(0);
  });

  it('assumes hops from the process credentials and caches the role sessions', async () => {
    const t = setup();
    t.deps.runCredentialProcess = (command, profile) => runCredentialProcess(command, profile, process.env);
    await resolveCredentials(processChain([{ profile: 'admin', roleArn: ADMIN, mfaSerial: MFA }]), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with, c.params.serialNumber])).toEqual([['AssumeRole', 'proc-secret-123456', MFA]]);
    expect([...t.sessions.keys()]).toEqual([`arp|sso|${MFA}|${ADMIN}#3600`]);
    t.deps.runCredentialProcess = async () => {
      throw new Error('must not run');
    };
    await resolveCredentials(processChain([{ profile: 'admin', roleArn: ADMIN, mfaSerial: MFA }]), opts(), t.deps);
    expect(t.calls).toHaveLength(1);
  });

  it('names the profile when the process fails, without its output', async () => {
    const t = setup();
    t.deps.runCredentialProcess = (command, profile) => runCredentialProcess(command, profile, process.env);
    const chain = processChain();
    if (chain.base.kind === 'credential_process') chain.base.command = `node -e "console.log('leaked-secret-value'); process.exit(3)"`;
    const err = await rejection(resolveCredentials(chain, opts(), t.deps));
    expect(err.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(err.message).toBe('credential_process of profile sso failed: it exited with status 3');
  });
});

describe('STS refusals', () => {
  it('explains invalid stored keys with the profile and the fix', async () => {
    const t = setup({ fail: () => stsError('STS_INVALID_KEYS', 'InvalidClientTokenId', 'The security token included in the request is invalid.') });
    const err = await rejection(resolveCredentials(admin(), opts(), t.deps));
    expect(err.code).toBe('STS_INVALID_KEYS');
    expect(err.message).toBe(
      'AWS rejected the stored keys for profile read-only (InvalidClientTokenId): they are wrong or revoked; ' +
        'store working keys with `vault add read-only --force` (a new key from the IAM console)',
    );
  });

  /** A setup whose STS refuses AssumeRole made with a secret in `refused`, as for a session revoked since it was cached. */
  function refusing() {
    const refused = new Set<string>();
    const t = setup({
      fail: (c) =>
        c.op === 'AssumeRole' && refused.has(c.with)
          ? stsError('STS_INVALID_KEYS', 'InvalidClientTokenId', 'The security token included in the request is invalid.')
          : undefined,
    });
    return { t, refused };
  }

  it('retries once without the cache after a refused cached session', async () => {
    const { t, refused } = refusing();
    await resolveCredentials(sharedMfa(), opts(), t.deps);
    t.advance(58 * 60_000);
    refused.add('issued-secret-1'); // the cached 8h base session has been invalidated
    t.calls.length = 0;
    const creds = await resolveCredentials(sharedMfa(), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with])).toEqual([
      ['AssumeRole', 'issued-secret-1'],
      ['GetSessionToken', BASE_KEYS.secretAccessKey],
      ['AssumeRole', 'issued-secret-3'],
    ]);
    expect(creds.secretAccessKey).toBe('issued-secret-4');
    expect(t.logs.some((l) => l.includes('STS refused the session of profile read-only, a cached session (InvalidClientTokenId)'))).toBe(true);
  });

  it('under the MFA lock, the retry without the cache does not take the refused session back from the vault', async () => {
    const { t, refused } = refusing();
    await resolveCredentials(sharedMfa(), opts(), t.deps);
    // The lock hands over what the vault holds for the key, as another run would have stored it: here the refused one.
    const store = { ...t.deps.store, mfaLock: <T>(key: string, run: (latest: CachedSession | undefined) => Promise<T>) => run(t.deps.store.session(key)) };
    t.advance(58 * 60_000);
    refused.add('issued-secret-1');
    t.calls.length = 0;
    const creds = await resolveCredentials(sharedMfa(), opts(), { ...t.deps, store });
    expect(t.calls.map((c) => c.op)).toEqual(['AssumeRole', 'GetSessionToken', 'AssumeRole']);
    expect(creds.secretAccessKey).toBe('issued-secret-4');
  });

  it('names the previous role as the caller when AssumeRole is denied', async () => {
    const t = setup({
      fail: (c) => (c.params.roleArn === AUDIT ? stsError('STS_ACCESS_DENIED', 'AccessDenied', 'Access denied') : undefined),
    });
    const err = await rejection(resolveCredentials(backup({ externalId: 'ext-1' }), opts(), t.deps));
    expect(err.code).toBe('STS_ACCESS_DENIED');
    expect(err.message).toBe(
      `AWS denied AssumeRole on ${AUDIT} for arn:aws:sts::123456789012:assumed-role/admin/${T0}000000: ` +
        `the caller's identity policy must allow sts:AssumeRole on ${AUDIT}, and the role's trust policy must name ` +
        `${ADMIN} (or its account) with its conditions met (sts:ExternalId must equal external_id); ` +
        'no MFA code was sent: if the trust policy requires MFA, set mfa_serial on profile audit (AWS: Access denied)',
    );
    expect(t.calls.some((c) => c.op === 'GetCallerIdentity')).toBe(false);
  });

  it('takes the caller from the AWS message when it names one', async () => {
    const user = 'arn:aws:iam::123456789012:user/bob';
    const t = setup({
      fail: (c) =>
        c.op === 'AssumeRole'
          ? stsError('STS_ACCESS_DENIED', 'AccessDenied', `User: ${user} is not authorized to perform: sts:AssumeRole on resource: ${ADMIN}`)
          : undefined,
    });
    const err = await rejection(resolveCredentials(sharedMfa(), opts({ mfaToken: '111111' }), t.deps));
    expect(err.message).toBe(
      `AWS denied AssumeRole on ${ADMIN} for ${user}: the caller's identity policy must allow sts:AssumeRole on ${ADMIN}, ` +
        `and the role's trust policy must name ${user} (or its account) with its conditions met ` +
        `(MFA must be allowed (a code from ${MFA} was used))`,
    );
    expect(err.message).not.toContain('111111');
  });

  it('asks GetCallerIdentity for the caller only when building the error', async () => {
    const t = setup({
      identityArn: 'arn:aws:sts::123456789012:assumed-role/base/s',
      fail: (c) => (c.op === 'AssumeRole' ? stsError('STS_ACCESS_DENIED', 'AccessDenied', 'denied') : undefined),
    });
    const err = await rejection(resolveCredentials(admin(), opts(), t.deps));
    expect(t.calls.map((c) => c.op)).toEqual(['AssumeRole', 'GetCallerIdentity']);
    expect(err.message).toContain('for arn:aws:sts::123456789012:assumed-role/base/s:');
    expect(err.message).toContain('trust policy must name arn:aws:iam::123456789012:role/base (or its account)');
  });

  it('still explains the denial when GetCallerIdentity fails too', async () => {
    const t = setup({
      fail: (c) =>
        c.op === 'AssumeRole'
          ? stsError('STS_ACCESS_DENIED', 'AccessDenied', 'denied')
          : c.op === 'GetCallerIdentity'
            ? new Error('offline')
            : undefined,
    });
    const err = await rejection(resolveCredentials(admin(), opts(), t.deps));
    expect(err.message).toContain(`AWS denied AssumeRole on ${ADMIN} for the current credentials:`);
  });

  it('passes other STS errors through unchanged', async () => {
    const original = stsError('STS_NETWORK', 'ECONNREFUSED', 'connect ECONNREFUSED', 'GetSessionToken');
    const t = setup({ fail: () => original });
    expect(await rejection(resolveCredentials(readOnly(), opts(), t.deps))).toBe(original);
  });

  it('never puts a secret, token or MFA code in a message', async () => {
    const t = setup({
      fail: (c) => (c.params.roleArn === BACKUP ? stsError('STS_ACCESS_DENIED', 'AccessDenied', 'denied') : undefined),
    });
    const err = await rejection(resolveCredentials(backup({}, MFA), opts({ mfaToken: '246810' }), t.deps));
    expect(t.calls[0]?.params.tokenCode).toBe('246810');
    for (const secret of [BASE_KEYS.secretAccessKey, 'issued-secret', 'issued-token', '246810', BASE_KEYS.accessKeyId]) {
      expect(err.message).not.toContain(secret);
      expect([...t.logs, ...t.progress].join('\n')).not.toContain(secret);
    }
  });
});

describe('resolveCredentials: sources other than stored keys', () => {
  const SSO_BASE = {
    kind: 'sso' as const,
    profile: 'dev',
    sso: { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', session: 'corp' },
    accountId: '123456789012',
    roleName: 'Dev',
  };
  const ssoChain = (hops: Hop[] = []): Chain => ({ profile: hops.at(-1)?.profile ?? 'dev', base: SSO_BASE, hops, path: ['dev', ...hops.map((h) => h.profile)] });

  it('SSO: role credentials are cached like a session, so the next resolve makes no call; a hop starts from them', async () => {
    const t = setup();
    const first = await resolveCredentials(ssoChain(), opts(), t.deps);
    expect(first.accessKeyId).toBe('ASIASSO');
    await resolveCredentials(ssoChain(), opts(), t.deps);
    expect(t.ssoCalls).toHaveLength(1);
    expect([...t.sessions.values()][0]).toMatchObject({ profile: 'dev', chain: 'dev (IAM Identity Center Dev)', profiles: ['dev'] });
    await resolveCredentials(ssoChain([{ profile: 'admin', roleArn: ADMIN }]), opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with])).toEqual([['AssumeRole', 'sso-secret-1']]);
  });

  it('SSO: role credentials that come back already expired are refused, not cached or passed on', async () => {
    const t = setup();
    t.deps.sso = async () => ({ accessKeyId: 'ASIASSO', secretAccessKey: 'sso-secret', sessionToken: 't', expiration: new Date(T0 - 60_000) });
    const err = await rejection(resolveCredentials(ssoChain(), opts(), t.deps));
    expect(err).toMatchObject({ code: 'SSO_FAILED', message: expect.stringMatching(/^IAM Identity Center gave role credentials for Dev in 123456789012 that expired at 2025-12-31T23:59:00.000Z; check/) });
    expect(err.message).not.toContain('sso-secret');
    expect(t.sessions.size).toBe(0);
  });

  it('SSO: cached role credentials STS refuses are dropped and fetched again', async () => {
    const t = setup({
      fail: (call) =>
        call.with === 'sso-secret-1' ? new StsError('STS_INVALID_KEYS', 'refused', { operation: 'AssumeRole', awsCode: 'InvalidClientTokenId', awsMessage: '', endpoint: 'x' }) : undefined,
    });
    await resolveCredentials(ssoChain(), opts(), t.deps);
    const creds = await resolveCredentials(ssoChain([{ profile: 'admin', roleArn: ADMIN }]), opts(), t.deps);
    expect(t.ssoCalls).toHaveLength(2);
    expect(creds.secretAccessKey).toMatch(/^issued-secret-/);
  });

  it('web identity: AssumeRoleWithWebIdentity with the trimmed token file and role_session_name', async () => {
    const t = setup();
    const chain: Chain = {
      profile: 'ci',
      base: { kind: 'web-identity', profile: 'ci', roleArn: ADMIN, tokenFile: '/var/token', roleSessionName: 'ci-run' },
      hops: [],
      path: ['ci'],
    };
    await resolveCredentials(chain, opts({ region: 'eu-west-1' }), t.deps);
    expect(t.calls).toEqual([
      { op: 'AssumeRoleWithWebIdentity', with: '', region: 'eu-west-1', params: { roleArn: ADMIN, roleSessionName: 'ci-run', webIdentityToken: 'web-token', durationSeconds: 3600 } },
    ]);
  });

  it('web identity: its duration decided as a role hop\'s: --duration when it is the last call, else AWS_ASSUME_ROLE_TTL, else duration_seconds, else 1 h', async () => {
    const chain = (durationSeconds?: number, hops: Chain['hops'] = []): Chain => ({
      profile: 'ci',
      base: { kind: 'web-identity', profile: 'ci', roleArn: ADMIN, tokenFile: '/var/token', ...(durationSeconds !== undefined && { durationSeconds }) },
      hops,
      path: ['ci'],
    });
    const asked = async (c: Chain, o: Partial<ResolveOptions>) => {
      const t = setup();
      await resolveCredentials(c, opts(o), t.deps);
      return t.calls.map((call) => call.params.durationSeconds);
    };
    expect(await asked(chain(), {})).toEqual([3600]);
    expect(await asked(chain(7200), {})).toEqual([7200]);
    // With a role after it, --duration is that role's.
    expect(await asked(chain(7200, [{ profile: 'deploy', roleArn: ADMIN }]), { durationSeconds: 1800 })).toEqual([7200, 1800]);
    expect(await asked(chain(7200), { assumeRoleSeconds: 5400 })).toEqual([5400]);
    expect(await asked(chain(7200), { assumeRoleSeconds: 5400, durationSeconds: 10800 })).toEqual([10800]);
    await expect(asked(chain(), { durationSeconds: 60 })).rejects.toThrow(/--duration 1m \(60 s\) is outside what AssumeRoleWithWebIdentity allows/);
  });

  it('credential_source: the role is assumed with what the machine provides', async () => {
    const t = setup();
    const chain: Chain = {
      profile: 'ec2',
      base: { kind: 'credential-source', profile: 'ec2', source: 'Ec2InstanceMetadata' },
      hops: [{ profile: 'ec2', roleArn: ADMIN }],
      path: ['ec2'],
    };
    await resolveCredentials(chain, opts(), t.deps);
    expect(t.calls.map((c) => [c.op, c.with])).toEqual([['AssumeRole', 'machine-Ec2InstanceMetadata']]);
  });
});
