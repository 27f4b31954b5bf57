import { homedir } from 'node:os';
import { createContext, homeOf, type Io } from './context.js';

function io(stderrIsTerminal: boolean): Io & { written: string[] } {
  const written: string[] = [];
  return { env: {}, stdout: () => {}, stderr: (t) => written.push(t), stderrIsTerminal, written };
}

test('on a terminal, a status line is shown and then erased; notices are printed', () => {
  const tty = io(true);
  const ctx = createContext({ debug: false, io: tty });
  const clear = ctx.status('Unlocking vault...');
  clear();
  clear();
  ctx.notice('Starting a subshell');
  expect(tty.written).toEqual(['Unlocking vault...', '\r\x1b[K', 'Starting a subshell\n']);
});

test('without a terminal, neither status lines nor notices are written', () => {
  const pipe = io(false);
  const ctx = createContext({ debug: false, io: pipe });
  ctx.status('Unlocking vault...')();
  ctx.notice('Starting a subshell');
  expect(pipe.written).toEqual([]);
});

test("the files' default places and a leading ~ are under the run's HOME, not the process's", () => {
  const ctx = createContext({ debug: false, io: { ...io(false), env: { HOME: '/home/someone', AWS_VAULT_FILE_DIR: '~/vaults' } } });
  expect([ctx.vaultPath, ctx.configPath, ctx.credentialsPath]).toEqual([
    '/home/someone/vaults/vault',
    '/home/someone/.aws/config',
    '/home/someone/.aws/credentials',
  ]);
});

test("without HOME (or with an empty one), the home directory is the user database's, as os.homedir() gives it", () => {
  expect(homeOf({ HOME: '/home/someone' })).toBe('/home/someone');
  for (const env of [{}, { HOME: '' }]) {
    const ctx = createContext({ debug: false, io: { ...io(false), env } });
    expect([homeOf(env), ctx.configPath]).toEqual([homedir(), `${homedir()}/.aws/config`]);
  }
});

test('whether a prompt can reach a person is the io\'s to say when it says', () => {
  expect(createContext({ debug: false, io: { ...io(false), interactive: () => false } }).interactive()).toBe(false);
  expect(createContext({ debug: false, io: { ...io(false), interactive: () => true } }).interactive()).toBe(true);
});
