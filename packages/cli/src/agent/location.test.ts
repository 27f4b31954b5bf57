import { agentLocation, MAX_SOCKET_PATH_BYTES, pathId, socketDirProblem, socketFileProblem, type OwnedEntry } from './location.js';

function entry(kind: 'dir' | 'socket' | 'file', uid: number, mode: number): OwnedEntry {
  return { uid, mode, isDirectory: () => kind === 'dir', isSocket: () => kind === 'socket' };
}

describe('pathId', () => {
  it('is stable, so every vault process finds the same agent', () => {
    expect(pathId('/home/u/.awsvault/vault')).toBe(pathId('/home/u/.awsvault/vault'));
    expect(pathId('/home/u/.awsvault/vault')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('tells 20,000 similar paths apart', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      ids.add(pathId(`/home/user${i}/.awsvault/vault`));
      ids.add(pathId(`/srv/vaults/${i.toString(36)}/vault`));
    }
    expect(ids.size).toBe(20_000);
  });
});

describe('agentLocation', () => {
  const exists = () => true;

  it('uses the vault directory when there is no XDG_RUNTIME_DIR', () => {
    expect(agentLocation({}, '/home/me/.awsvault/vault')).toEqual({
      vault: '/home/me/.awsvault/vault',
      dir: '/home/me/.awsvault',
      socket: '/home/me/.awsvault/agent.sock',
    });
  });

  it('uses $XDG_RUNTIME_DIR/vault with one socket per vault file', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    const a = agentLocation(env, '/home/me/.awsvault/vault', exists);
    const b = agentLocation(env, '/srv/other/vault', exists);
    expect(a.dir).toBe('/run/user/1000/vault');
    expect(a.socket).toMatch(/^\/run\/user\/1000\/vault\/agent-[0-9a-f]{16}\.sock$/);
    expect(b.socket).not.toBe(a.socket);
    expect(agentLocation(env, '/home/me/.awsvault/vault', exists)).toEqual(a);
  });

  it('uses the vault directory when XDG_RUNTIME_DIR names no directory: one left from another session is not created', () => {
    expect(agentLocation({ XDG_RUNTIME_DIR: '/nonexistent/run' }, '/v/vault').socket).toBe('/v/agent.sock');
  });

  it('ignores a relative XDG_RUNTIME_DIR (the spec requires an absolute one)', () => {
    expect(agentLocation({ XDG_RUNTIME_DIR: 'run' }, '/v/vault').socket).toBe('/v/agent.sock');
  });

  it('names the vault by its absolute path, so a relative AWS_VAULT_FILE_DIR finds the same agent', () => {
    const loc = agentLocation({}, 'rel/vault');
    expect(loc.vault).toBe(`${process.cwd()}/rel/vault`);
    expect(loc.socket).toBe(`${process.cwd()}/rel/agent.sock`);
  });

  it('keeps XDG socket paths well inside the unix socket limit', () => {
    const loc = agentLocation({ XDG_RUNTIME_DIR: '/run/user/4294967294' }, `/${'x'.repeat(300)}/vault`, exists);
    expect(Buffer.byteLength(loc.socket)).toBeLessThan(MAX_SOCKET_PATH_BYTES);
  });
});

describe('socket trust checks', () => {
  const me = 1000;

  it('accepts a private directory and socket of the current user', () => {
    expect(socketDirProblem(entry('dir', me, 0o40700), me)).toBeUndefined();
    expect(socketFileProblem(entry('socket', me, 0o140600), me)).toBeUndefined();
  });

  it.each([
    ['group-readable', 0o40750],
    ['world-writable', 0o40777],
    ['group-searchable only', 0o40710],
  ])('refuses a directory that is %s', (_, mode) => {
    expect(socketDirProblem(entry('dir', me, mode), me)).toMatch(/accessible by other users \(mode 07\d\d\)/);
  });

  it.each([
    ['group-writable', 0o140660],
    ['world-writable', 0o140666],
  ])('refuses a socket that is %s', (_, mode) => {
    expect(socketFileProblem(entry('socket', me, mode), me)).toMatch(/accessible by other users \(mode 06\d\d\)/);
  });

  it("refuses another user's directory or socket even when private", () => {
    expect(socketDirProblem(entry('dir', 0, 0o40700), me)).toBe('it belongs to uid 0, not to this user (uid 1000)');
    expect(socketFileProblem(entry('socket', 1001, 0o140600), me)).toBe('it belongs to uid 1001, not to this user (uid 1000)');
  });

  it('refuses the wrong kind of file', () => {
    expect(socketDirProblem(entry('file', me, 0o100700), me)).toBe('it is not a directory');
    expect(socketFileProblem(entry('file', me, 0o100600), me)).toBe('it is not a socket');
  });
});
