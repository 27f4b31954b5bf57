// Secret hygiene of the built CLI, observed from outside: what other processes can read (/proc/*/cmdline), what the
// commands vault starts inherit, what lands on disk under $HOME, $TMPDIR and the vault directory, what --debug
// prints, and what an STS failure says. A secret is looked for in every form a careless write could take (as is,
// UTF-16, base64, hex).
//
// What a process shows runs through the built binary: command lines and environments in /proc, what vault's
// children inherit, files a real process leaves behind. What vault only prints runs in-process
// (support/in-process.ts): most of --debug and the STS failures, with a binary instance of each kept.
import { jest } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putCredentials, VaultFile } from '@vault/core';
import { awsSetup, MOTO_ACCOUNT, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { runInProcess } from './support/in-process.js';
import { freePort, sharedMoto, type SharedMoto } from './support/moto.js';
import { waitForOutput, type Env, type RunResult } from './support/process.js';
import { FIXTURE_KDF, sandbox, type Sandbox } from './support/sandbox.js';
import { runVault, startVault } from './support/vault.js';
import { encodings, mapLimit, plaintextHits } from './support/vault-state.js';

jest.setTimeout(180_000);

const PASSPHRASE = 'hygiene passphrase 7f3a9c';
const NEW_PASSPHRASE = 'hygiene new passphrase 91c2e4';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/hygiene`;
const PROCESS_KEYS = { AccessKeyId: 'AKIAHYGIENEPROCESS01', SecretAccessKey: `proc-secret-${fakeKeys().secretAccessKey}` };

let moto: SharedMoto;
let box: Sandbox;
/** The commands' private TMPDIR, outside $HOME so a file left there is told apart. */
let tmp: string;
/** Where children write what they saw; outside every directory searched for secrets. */
let probes: string;
let baseKeys: Keys;
/** Every secret that passed through vault in this file: stored keys, session keys and tokens, passphrases. */
const secrets: Record<string, string> = { passphrase: PASSPHRASE, 'new passphrase': NEW_PASSPHRASE };

beforeAll(async () => {
  moto = await sharedMoto();
  box = await sandbox({ passphrase: PASSPHRASE });
  tmp = await mkdtemp(join(tmpdir(), 'vault-hygiene-tmp-'));
  probes = await mkdtemp(join(tmpdir(), 'vault-hygiene-probes-'));
  baseKeys = fakeKeys();
  secrets['base secret'] = baseKeys.secretAccessKey;
  const json = JSON.stringify({ Version: 1, ...PROCESS_KEYS });
  await box.writeConfig(
    `[profile base]\n\n[profile admin]\nsource_profile = base\nrole_arn = ${ROLE}\n\n` +
      `[profile proc]\ncredential_process = sh -c 'env -0 > "$HYGIENE_PROBE"; printf "%s" '"'"'${json}'"'"''\n`,
  );
  expectSuccess(await runInProcess(['add', '--env', 'base'], { env: env({ AWS_ACCESS_KEY_ID: baseKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: baseKeys.secretAccessKey }) }));
});
afterAll(async () => {
  await runInProcess(['lock'], { env: env() });
  await box?.remove();
  await rm(tmp, { recursive: true, force: true });
  await rm(probes, { recursive: true, force: true });
});

/** Sandbox, private TMPDIR, moto as STS, the passphrase; no XDG_RUNTIME_DIR, so an agent's socket stays in the vault directory. */
function env(extra: Env = {}, passphrase = PASSPHRASE): Env {
  return { ...box.env, TMPDIR: tmp, AWS_VAULT_FILE_PASSPHRASE: passphrase, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

function parseNulEnv(text: string): Record<string, string> {
  const entries = text.split('\0').filter((e) => e !== '');
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Remembers the temporary credentials a child or an export showed, so later checks look for them too. */
function remember(label: string, creds: { secret?: string; token?: string }): void {
  if (creds.secret) secrets[`${label} secret`] = creds.secret;
  if (creds.token) secrets[`${label} token`] = creds.token;
}

/** Names of the secrets found in `text` in any encoding. */
function leaked(text: string | Buffer): string[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return Object.entries(secrets)
    .filter(([, s]) => encodings(s).some((form) => bytes.includes(form)))
    .map(([name]) => name);
}

async function allCmdlines(): Promise<Array<{ pid: string; cmdline: Buffer }>> {
  const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  const read = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`).then((cmdline) => ({ pid, cmdline }), () => undefined)));
  return read.filter((r) => r !== undefined);
}

async function childrenOf(pid: number): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  const stats = await Promise.all(pids.map((p) => readFile(`/proc/${p}/stat`, 'utf8').catch(() => '')));
  // The command name in field 2 may hold spaces and parentheses: the parent pid is the second field after the last ')'.
  return pids.filter((_, i) => Number(stats[i]!.slice(stats[i]!.lastIndexOf(')') + 2).split(' ')[1]) === pid).map(Number);
}

/** The child of `pid` once it runs `sleep 30` (within 5 s). */
async function sleepingChild(pid: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const [child] = await childrenOf(pid);
    if (child !== undefined && (await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')) === 'sleep\x0030\x00') return child;
    if (Date.now() > deadline) throw new Error(`the child of vault (pid ${pid}) did not become "sleep 30"`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('while a child of vault exec runs', () => {
  it('no process command line holds the stored secret, the session keys, the token or the passphrase', async () => {
    const script = 'printf "%s\\n%s\\n" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"; echo ready; exec sleep 30';
    const started = startVault(['exec', 'admin', '--', 'sh', '-c', script], { env: env(), timeoutMs: 40_000 });
    try {
      await waitForOutput(started, 'ready');
      const [secret, token] = started.output().stdout.split('\n');
      remember('role session', { secret, token });
      expect(token).toBeTruthy();

      // The shell prints "ready" just before `exec sleep` replaces it: look once the child is the sleep.
      const child = await sleepingChild(started.child.pid!);
      const lines = await allCmdlines();
      const mine = lines.filter((l) => leaked(l.cmdline).length > 0).map((l) => `${l.pid}: ${leaked(l.cmdline).join(', ')}`);
      expect(mine).toEqual([]);
      // The check saw the processes involved: vault itself and its sleeping child.
      expect(lines.find((l) => l.pid === String(child))?.cmdline.toString()).toBe('sleep\x0030\x00');
      const childEnv = parseNulEnv(await readFile(`/proc/${child}/environ`, 'utf8'));
      expect(childEnv.AWS_SESSION_TOKEN).toBe(token);
      expect({ file: childEnv.AWS_VAULT_FILE_PASSPHRASE, next: childEnv.AWS_VAULT_NEW_PASSPHRASE }).toEqual({ file: undefined, next: undefined });
    } finally {
      process.kill(-started.child.pid!, 'SIGKILL');
      await started.result;
    }
  });
});

describe('the passphrase never reaches a process vault starts', () => {
  const parent = { AWS_VAULT_NEW_PASSPHRASE: NEW_PASSPHRASE };
  const CHILDREN: Array<[string, string[]]> = [
    ['a role session', ['exec', 'admin', '--', 'env', '-0']],
    ['a GetSessionToken session', ['exec', 'base', '--', 'env', '-0']],
    ['the stored keys (--no-session)', ['exec', 'base', '--no-session', '--', 'env', '-0']],
    ['--server', ['exec', '--server', 'base', '--', 'env', '-0']],
  ];
  let seen: Map<string, RunResult>;
  beforeAll(async () => {
    const results = await mapLimit(CHILDREN, 3, ([, args]) => runVault(args, { env: env(parent) }));
    seen = new Map(CHILDREN.map(([name], i) => [name, results[i]!]));
  });

  async function seenBy(args: string[], extra: Env = {}): Promise<Record<string, string>> {
    const result = await runVault(args, { env: env({ ...parent, ...extra }) });
    expectSuccess(result);
    return parseNulEnv(result.stdout);
  }

  function expectNoPassphrase(childEnv: Record<string, string>): void {
    expect(Object.keys(childEnv).length).toBeGreaterThan(3);
    expect(childEnv.AWS_VAULT_FILE_PASSPHRASE).toBeUndefined();
    expect(childEnv.AWS_VAULT_NEW_PASSPHRASE).toBeUndefined();
    expect(leaked(Object.values(childEnv).join('\n')).filter((n) => n.includes('passphrase'))).toEqual([]);
  }

  it.each(CHILDREN)('the command run with %s', (name, args) => {
    const result = seen.get(name)!;
    expectSuccess(result);
    const childEnv = parseNulEnv(result.stdout);
    expectNoPassphrase(childEnv);
    remember(`child of ${args.slice(0, 3).join(' ')}`, { secret: childEnv.AWS_SECRET_ACCESS_KEY, token: childEnv.AWS_SESSION_TOKEN });
  });

  it('the default $SHELL when no command is given', async () => {
    const shell = join(probes, 'shell.sh');
    await writeFile(shell, '#!/bin/sh\nexec env -0\n', { mode: 0o755 });
    expectNoPassphrase(await seenBy(['exec', 'base'], { SHELL: shell }));
  });

  it('a credential_process helper', async () => {
    const probe = join(probes, 'credential-process-env');
    const result = await runVault(['exec', 'proc', '--', 'true'], { env: env({ ...parent, HYGIENE_PROBE: probe }) });
    expectSuccess(result);
    const helperEnv = parseNulEnv(await readFile(probe, 'utf8'));
    expect(helperEnv.HYGIENE_PROBE).toBe(probe);
    expectNoPassphrase(helperEnv);
  });
});

describe('--debug', () => {
  // In order, from an empty cache: the first two call STS, the rest (run a few at once) use the cached sessions.
  // In-process, where exec's command would write to the test's own stdout, exec prints the credentials it would
  // give the command (--json) instead. Through the binary: exec with a real command, and a credential_process,
  // whose helper vault starts with process.env (in-process, the test process's).
  type Step = { args: string[]; binary?: true };
  const FIRST: Step[] = [
    { args: ['clear'] },
    { args: ['exec', 'admin', '--debug', '--', 'env', '-0'], binary: true },
    { args: ['exec', 'base', '--debug', '--json'] },
  ];
  const THEN: Step[] = [
    { args: ['exec', 'admin', '--debug', '--json'] },
    { args: ['exec', 'base', '--no-session', '--debug', '--', 'true'] },
    { args: ['exec', 'proc', '--debug', '--', 'true'], binary: true },
    { args: ['export', 'admin', '--debug', '--format', 'json'] },
    { args: ['export', 'base', '--debug', '--format', 'ini'] },
    { args: ['whoami', 'admin', '--debug'] },
    { args: ['list', '--debug'] },
  ];

  it('prints diagnostics without any secret, for every command that handles one', async () => {
    const run = ({ args, binary }: Step) =>
      (binary ? runVault : runInProcess)(args, { env: env({ HYGIENE_PROBE: join(probes, 'debug-probe') }) });
    const results: RunResult[] = [];
    for (const step of FIRST) results.push(await run(step));
    results.push(...(await mapLimit(THEN, 3, run)));
    const printed: Array<{ command: string; debugLines: number; leaked: string[] }> = [];
    for (const [i, { args }] of [...FIRST, ...THEN].entries()) {
      const result = results[i]!;
      expectSuccess(result);
      if (args[0] === 'exec' && args.includes('env')) {
        const childEnv = parseNulEnv(result.stdout);
        remember(`debug ${args[1]}`, { secret: childEnv.AWS_SECRET_ACCESS_KEY, token: childEnv.AWS_SESSION_TOKEN });
      }
      if (args.includes('--json') || args.includes('json')) {
        const shown = JSON.parse(result.stdout) as { SecretAccessKey: string; SessionToken: string };
        remember(`debug ${args.slice(0, 2).join(' ')}`, { secret: shown.SecretAccessKey, token: shown.SessionToken });
      }
      if (!args.includes('--debug')) continue;
      // The credential_process's own secret (in the config by the user's choice) must not be printed either.
      const shown = [...leaked(result.stderr), ...(result.stderr.includes(PROCESS_KEYS.SecretAccessKey) ? ['credential_process secret'] : [])];
      printed.push({ command: args.join(' '), debugLines: result.stderr.split('\n').filter((l) => l.startsWith('vault[debug]: ')).length, leaked: shown });
    }
    expect(printed.filter((p) => p.leaked.length > 0)).toEqual([]);
    // Each command did print diagnostics, so the check above had something to look at.
    expect(printed.filter((p) => p.debugLines === 0 && !p.command.startsWith('list'))).toEqual([]);
  });
});

describe('files left behind', () => {
  it('no secret, token or passphrase is written in plaintext under $HOME, $TMPDIR or the vault directory by any command', async () => {
    const other = fakeKeys();
    secrets['second stored secret'] = other.secretAccessKey;
    const steps: Array<{ args: string[]; extra?: Env; passphrase?: string }> = [
      { args: ['add', '--env', 'second'], extra: { AWS_ACCESS_KEY_ID: other.accessKeyId, AWS_SECRET_ACCESS_KEY: other.secretAccessKey } },
      { args: ['exec', 'base', '--', 'env', '-0'] },
      { args: ['exec', 'admin', '--', 'env', '-0'] },
      { args: ['exec', 'second', '--no-session', '--', 'true'] },
      { args: ['exec', '--server', 'admin', '--', 'true'] },
      { args: ['export', 'admin', '--format', 'env'] },
      { args: ['export', 'admin', '--format', 'ini'] },
      { args: ['export', 'admin', '--format', 'json'] },
      { args: ['whoami', 'base'] },
      { args: ['list'] },
      { args: ['unlock', '--ttl', '1m'] },
      { args: ['exec', 'admin', '--', 'true'], extra: { AWS_VAULT_FILE_PASSPHRASE: '' } },
      { args: ['lock'] },
      { args: ['clear'] },
      { args: ['passphrase'], extra: { AWS_VAULT_NEW_PASSPHRASE: NEW_PASSPHRASE } },
      { args: ['exec', 'admin', '--', 'env', '-0'], passphrase: NEW_PASSPHRASE },
      { args: ['remove', 'second', '--force'], passphrase: NEW_PASSPHRASE },
    ];
    const found: string[] = [];
    for (const step of steps) {
      const result: RunResult = await runVault(step.args, { env: env(step.extra, step.passphrase) });
      expectSuccess(result);
      if (step.args.includes('env')) {
        const childEnv = parseNulEnv(result.stdout);
        remember(`files ${step.args[1]}`, { secret: childEnv.AWS_SECRET_ACCESS_KEY, token: childEnv.AWS_SESSION_TOKEN });
      }
      for (const hit of await plaintextHits([box.home, tmp, box.vaultDir], secrets)) found.push(`after ${step.args.join(' ')}: ${hit}`);
    }
    expect(found).toEqual([]);
    process.stdout.write(`secret hygiene: ${Object.keys(secrets).length} secrets searched for after ${steps.length} commands\n`);
  });
});

/** Answers every request with an STS error whose message repeats the request: headers (with any session token) and body. */
async function echoingSts(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      // The token first: vault cuts a long AWS message short, and the point is to see it masked, not cut off.
      const token = req.headers['x-amz-security-token'] ?? '';
      const echo = `x-amz-security-token=${token} ${body} ${JSON.stringify(req.headers)}`.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
          `<Code>InvalidParameterValue</Code><Message>you sent ${echo}</Message></Error><RequestId>echo</RequestId></ErrorResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('STS failures', () => {
  // Moto answers the setup (two users, their keys and policies, a role) unauthenticated, then checks every call.
  const SETUP_ACTIONS = 7;
  let strict: SharedMoto;
  let echo: { url: string; close(): Promise<void> };
  let deadUrl: string;
  let b: Sandbox;
  const PROCESS_TOKEN = { AccessKeyId: 'ASIAHYGIENEPROCESS02', SecretAccessKey: `proc2-${fakeKeys().secretAccessKey}`, SessionToken: `proc2-token-${fakeKeys().secretAccessKey}` };

  function strictEnv(endpoint: string): Env {
    return { ...b.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: endpoint };
  }

  beforeAll(async () => {
    // Resets this worker's moto, which the tests above are done with: keep this block last in the file.
    strict = await sharedMoto({ authCount: SETUP_ACTIONS });
    echo = await echoingSts();
    deadUrl = `http://127.0.0.1:${await freePort()}`;
    const setup = awsSetup(strict);
    const onlyWhoami = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' }] };
    // Three independent setups side by side: each `aws` call costs the CLI's start-up.
    const [signer, bob, target] = await Promise.all([
      (async () => {
        await setup.createUser('signer');
        const keys = await setup.createAccessKey('signer');
        await setup.allowEverything('signer');
        return keys;
      })(),
      (async () => {
        await setup.createUser('bob');
        const keys = await setup.createAccessKey('bob');
        await setup.putUserPolicy('bob', 'no-assume', onlyWhoami);
        return keys;
      })(),
      setup.createRole('target'),
    ]);
    const unknown = fakeKeys();
    const wrongSecret = fakeKeys().secretAccessKey;
    Object.assign(secrets, {
      'signer secret': signer.secretAccessKey,
      'bob secret': bob.secretAccessKey,
      'unknown key secret': unknown.secretAccessKey,
      'wrong secret': wrongSecret,
      'process secret': PROCESS_TOKEN.SecretAccessKey,
      'process token': PROCESS_TOKEN.SessionToken,
    });
    b = await sandbox();
    await b.writeConfig(
      `[profile good]\n[profile bob]\n[profile unknown-key]\n[profile bad-secret]\n` +
        `[profile denied]\nsource_profile = bob\nrole_arn = ${target}\n` +
        `[profile role]\nsource_profile = good\nrole_arn = ${target}\n` +
        `[profile proc]\nrole_arn = ${target}\ncredential_process = printf '%s' '${JSON.stringify({ Version: 1, ...PROCESS_TOKEN })}'\n`,
    );
    // Stored in-process: `vault add` itself is covered above.
    const vault = new VaultFile(b.vaultFile);
    const key = await vault.create(PASSPHRASE, FIXTURE_KDF);
    const stored: Record<string, Keys> = { good: signer, bob, 'unknown-key': unknown, 'bad-secret': { accessKeyId: signer.accessKeyId, secretAccessKey: wrongSecret } };
    const addedAt = new Date().toISOString();
    await vault.update(key, (data) => Object.entries(stored).reduce((d, [p, k]) => putCredentials(d, p, { ...k, addedAt }), data));
    // A cached base session, whose secrets are searched for too. It is not sent to the echoing endpoint: a session
    // from one STS endpoint is never used at another; the credential_process token is what that endpoint is sent.
    const exported = await runInProcess(['export', 'good', '--format', 'json'], { env: strictEnv(strict.url) });
    expectSuccess(exported);
    const session = JSON.parse(exported.stdout) as { SecretAccessKey: string; SessionToken: string };
    remember('cached good session', { secret: session.SecretAccessKey, token: session.SessionToken });
  });
  afterAll(async () => {
    await echo?.close();
    await b?.remove();
  });

  // What vault prints for each, in-process; through the binary, for the real exit status and stderr, the two
  // through a credential_process (vault starts its helper with process.env: in-process, the test process's).
  const FAILURES: Array<[string, string[], () => string, RegExp, typeof runVault]> = [
    ['an access key id STS does not know', ['exec', 'unknown-key', '--', 'true'], () => strict.url, /AWS rejected|InvalidClientTokenId/, runInProcess],
    ['a wrong secret for a real key', ['exec', 'bad-secret', '--', 'true'], () => strict.url, /SignatureDoesNotMatch|signature/i, runInProcess],
    ['AssumeRole denied by policy', ['exec', 'denied', '--no-session', '--', 'true'], () => strict.url, /AWS denied AssumeRole/, runInProcess],
    ['a session token STS does not know (credential_process)', ['exec', 'proc', '--', 'true'], () => strict.url, /InvalidClientTokenId|AWS rejected/, runVault],
    ['STS unreachable', ['exec', 'bob', '--', 'true'], () => deadUrl, /cannot reach STS/, runInProcess],
    ['an endpoint that repeats the request, token included, in its error (AssumeRole)', ['exec', 'role', '--', 'true'], () => echo.url, /InvalidParameterValue/, runInProcess],
    ['an endpoint that repeats the request (whoami)', ['whoami', 'good'], () => echo.url, /InvalidParameterValue/, runInProcess],
    ['an endpoint that repeats the request, session token included (credential_process)', ['exec', 'proc', '--', 'true'], () => echo.url, /InvalidParameterValue/, runVault],
    ['an endpoint that repeats the request (export)', ['export', 'role', '--format', 'json'], () => echo.url, /InvalidParameterValue/, runInProcess],
  ];

  /** Each failure as is and with --debug (which adds diagnostics and the stack), a few at once. */
  let runs: Map<string, { plain: RunResult; debug: RunResult }>;
  beforeAll(async () => {
    const withDebug = (args: string[]) => [...args.slice(0, 2), '--debug', ...args.slice(2)];
    const jobs = FAILURES.flatMap(([name, args, endpoint, , runner]) => [
      { name, debug: false, args, endpoint, runner },
      { name, debug: true, args: withDebug(args), endpoint, runner },
    ]);
    const results = await mapLimit(jobs, 3, (job) => job.runner(job.args, { env: strictEnv(job.endpoint()) }));
    runs = new Map(FAILURES.map(([name]) => [name, { plain: results[jobs.findIndex((j) => j.name === name && !j.debug)]!, debug: results[jobs.findIndex((j) => j.name === name && j.debug)]! }]));
  });

  it.each(FAILURES)('%s: one line naming the failure, no secret; none with --debug either', (name, _args, _endpoint, pattern) => {
    const { plain, debug } = runs.get(name)!;
    expectOneLineError(plain, pattern);
    expect(leaked(plain.stderr + plain.stdout)).toEqual([]);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(pattern);
    expect(debug.stderr).toMatch(/^vault\[debug\]: /m);
    expect(leaked(debug.stderr + debug.stdout)).toEqual([]);
  });

  it('the echoing endpoint did receive the session token: the checks above had a secret to hide', () => {
    const { plain } = runs.get('an endpoint that repeats the request, session token included (credential_process)')!;
    expect(plain.stderr).toContain('you sent x-amz-security-token=**** ');
  });
});
