import type { AwsCredentials } from '../credentials/types.js';
import { refreshingCredentials } from './refresh.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const MARGIN = 5 * 60_000;

function creds(n: number, expiresAt: number): AwsCredentials {
  return { accessKeyId: `ASIA${n}`, secretAccessKey: `s${n}`, sessionToken: `t${n}`, expiration: new Date(expiresAt) };
}

function setup(renewals: Array<AwsCredentials | Error>) {
  let now = T0;
  const calls: number[] = [];
  const stale: unknown[] = [];
  const source = refreshingCredentials(creds(0, T0 + 15 * 60_000), {
    renew: async () => {
      calls.push(now);
      const next = renewals.shift();
      if (!next) throw new Error('no more renewals scripted');
      if (next instanceof Error) throw next;
      return next;
    },
    clock: () => new Date(now),
    marginMs: MARGIN,
    onStaleServed: (err) => stale.push(err),
  });
  return { source, calls, stale, advance: (ms: number) => (now += ms) };
}

it('serves the initial credentials until they come within the margin of expiry', async () => {
  const t = setup([creds(1, T0 + 30 * 60_000)]);
  expect((await t.source()).accessKeyId).toBe('ASIA0');
  t.advance(10 * 60_000 - 1);
  expect((await t.source()).accessKeyId).toBe('ASIA0');
  expect(t.calls).toEqual([]);
  t.advance(1);
  expect((await t.source()).accessKeyId).toBe('ASIA1');
  expect((await t.source()).accessKeyId).toBe('ASIA1');
  expect(t.calls).toHaveLength(1);
});

it('shares one renewal between concurrent callers', async () => {
  const t = setup([creds(1, T0 + 60 * 60_000)]);
  t.advance(11 * 60_000);
  const answers = await Promise.all([t.source(), t.source(), t.source()]);
  expect(answers.map((c) => c.accessKeyId)).toEqual(['ASIA1', 'ASIA1', 'ASIA1']);
  expect(t.calls).toHaveLength(1);
});

it('bridges a failed renewal with credentials still valid, reports it once, and tries again next time', async () => {
  const failure = new Error('cannot reach STS');
  const t = setup([failure, creds(2, T0 + 60 * 60_000)]);
  t.advance(11 * 60_000);
  const [a, b] = await Promise.all([t.source(), t.source()]);
  expect([a.accessKeyId, b.accessKeyId]).toEqual(['ASIA0', 'ASIA0']);
  expect(t.stale).toEqual([failure]);
  expect((await t.source()).accessKeyId).toBe('ASIA2');
  expect(t.calls).toHaveLength(2);
});

it('fails once the current credentials have expired and a renewal fails', async () => {
  const failure = new Error('an MFA code is needed');
  const t = setup([failure]);
  t.advance(15 * 60_000);
  await expect(t.source()).rejects.toBe(failure);
  expect(t.stale).toEqual([]);
});

it('renews on every call credentials that carry no expiry', async () => {
  let renewed = 0;
  const source = refreshingCredentials(
    { accessKeyId: 'AKIA', secretAccessKey: 's' },
    { renew: async () => creds(++renewed, T0 + 60 * 60_000), clock: () => new Date(T0), marginMs: MARGIN, onStaleServed: () => {} },
  );
  expect((await source()).accessKeyId).toBe('ASIA1');
  expect((await source()).accessKeyId).toBe('ASIA1');
  expect(renewed).toBe(1);
});

it('started lazily, gets the first credentials at the first call and keeps them; a first failure is the answer', async () => {
  let renewed = 0;
  const options = { clock: () => new Date(T0), marginMs: MARGIN, onStaleServed: () => {} };
  const source = refreshingCredentials(undefined, { ...options, renew: async () => creds(++renewed, T0 + 60 * 60_000) });
  expect(renewed).toBe(0);
  expect((await source()).accessKeyId).toBe('ASIA1');
  expect((await source()).accessKeyId).toBe('ASIA1');
  const failure = new Error('STS unreachable');
  const failing = refreshingCredentials(undefined, { ...options, renew: async () => Promise.reject(failure) });
  await expect(failing()).rejects.toBe(failure);
});

it('while the current credentials are valid, a renewal that hangs does not hold the caller: the current set is answered', async () => {
  const now = T0;
  let finish: (c: AwsCredentials) => void = () => undefined;
  let calls = 0;
  const source = refreshingCredentials(creds(0, T0 + 4 * 60_000), {
    renew: () => {
      calls += 1;
      return new Promise<AwsCredentials>((resolve) => (finish = resolve));
    },
    clock: () => new Date(now),
    marginMs: MARGIN,
    onStaleServed: () => undefined,
    patienceMs: 20,
  });
  // Within the margin, STS not answering: the caller gets the still-valid set after the patience, not after STS.
  expect((await source()).accessKeyId).toBe('ASIA0');
  expect((await source()).accessKeyId).toBe('ASIA0');
  expect(calls).toBe(1);
  finish(creds(1, T0 + 60 * 60_000));
  await new Promise((resolve) => setImmediate(resolve));
  expect((await source()).accessKeyId).toBe('ASIA1');
});

it('a margin as long as the sessions (AWS_MIN_TTL=15m, 15-minute sessions) still uses each set for half its life', async () => {
  let now = T0;
  let renewals = 0;
  const source = refreshingCredentials(creds(0, T0 + 15 * 60_000), {
    renew: async () => creds(++renewals, now + 15 * 60_000),
    clock: () => new Date(now),
    marginMs: 15 * 60_000,
    onStaleServed: () => {},
  });
  // The first set (its age unknown) is renewed at once; each renewed set then lasts half its life.
  for (let i = 0; i < 5; i++) await source();
  expect(renewals).toBe(1);
  now += 7 * 60_000;
  for (let i = 0; i < 5; i++) await source();
  expect(renewals).toBe(1);
  now += 1 * 60_000;
  await source();
  await source();
  expect(renewals).toBe(2);
});
