import { fromWireKey, parseRequest, toWireKey } from './protocol.js';

describe('parseRequest', () => {
  it('reads all of the vault, or the stored keys of the profiles named', () => {
    expect(parseRequest(JSON.stringify({ op: 'read', profiles: ['a', 'b'] }))).toEqual({ op: 'read', profiles: ['a', 'b'] });
    expect(parseRequest(JSON.stringify({ op: 'read', profiles: 'a' }))).toBeUndefined();
    expect(parseRequest(JSON.stringify({ op: 'read', profiles: ['a', 1] }))).toBeUndefined();
  });

  it.each(['status', 'read', 'summary', 'lock'])('accepts %s', (op) => {
    expect(parseRequest(JSON.stringify({ op }))).toEqual({ op });
  });

  it('accepts put-sessions with a sessions object', () => {
    const sessions = { k: { accessKeyId: 'ASIA' } };
    expect(parseRequest(JSON.stringify({ op: 'put-sessions', sessions }))).toEqual({ op: 'put-sessions', sessions });
    const ssoTokens = { corp: { accessToken: 'a' } };
    expect(parseRequest(JSON.stringify({ op: 'put-sessions', sessions, ssoTokens }))).toEqual({ op: 'put-sessions', sessions, ssoTokens });
    const basis = { profile: 'base', accessKeyId: 'AKIA', addedAt: '2026-11-30T00:00:00.000Z' };
    expect(parseRequest(JSON.stringify({ op: 'put-sessions', sessions, basis }))).toEqual({ op: 'put-sessions', sessions, basis });
  });

  it('accepts update with a base revision and a well-formed patch', () => {
    const patch = { credentials: { set: {}, drop: ['p'] }, sessions: { set: {}, drop: [] } };
    expect(parseRequest(JSON.stringify({ op: 'update', base: 'r1', patch }))).toEqual({ op: 'update', base: 'r1', patch });
  });

  it.each([
    ['a request for the key, which the agent never hands out', '{"op":"key"}'],
    ['update without a base', '{"op":"update","patch":{"credentials":{"set":{},"drop":[]},"sessions":{"set":{},"drop":[]}}}'],
    ['update with a malformed patch', '{"op":"update","base":"r","patch":{"credentials":{}}}'],
    ['not JSON', 'status'],
    ['a JSON string', '"status"'],
    ['null', 'null'],
    ['an unknown op', '{"op":"dump-key"}'],
    ['a non-string op', '{"op":1}'],
    ['put-sessions without sessions', '{"op":"put-sessions"}'],
    ['put-sessions with an array', '{"op":"put-sessions","sessions":[]}'],
    ['put-sessions with SSO tokens as an array', '{"op":"put-sessions","sessions":{},"ssoTokens":[]}'],
    ['put-sessions with a malformed keys basis', '{"op":"put-sessions","sessions":{},"basis":{"profile":"p"}}'],
  ])('rejects %s', (_, line) => {
    expect(parseRequest(line)).toBeUndefined();
  });

  it('drops fields a request does not have', () => {
    expect(parseRequest('{"op":"read","extra":1}')).toEqual({ op: 'read' });
  });
});

describe('wire keys', () => {
  it('round-trips a VaultKey exactly', () => {
    const key = {
      key: Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 3) % 256),
      info: { kdf: { alg: 'argon2id13' as const, opslimit: 2, memlimit: 64 * 1024 * 1024 }, salt: Uint8Array.from({ length: 16 }, (_, i) => 255 - i) },
    };
    const back = fromWireKey(JSON.parse(JSON.stringify(toWireKey(key))));
    expect(back).toEqual(key);
    expect(back.key).toBeInstanceOf(Uint8Array);
    expect(back.info.salt).toBeInstanceOf(Uint8Array);
  });
});
