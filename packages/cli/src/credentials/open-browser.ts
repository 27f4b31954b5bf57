// (Here, not in login/: the SSO sign-in of the credentials path opens its verification page too.)
// Opening the console without putting the sign-in URL where other users can read it. The URL holds a SigninToken
// (a console session for 15 minutes), and every process's arguments and environment are readable by all users in
// /proc. So the opener gets the path of a page that forwards the browser to the URL: the page is 0600 in a 0700
// directory of its own, and is removed once the browser has had time to load it.
import { spawn } from 'node:child_process';
import { promises as fsp, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { withoutPassphrases } from '../vault-access/helper-env.js';

/** The desktop's "open this URL" command: `open` on macOS, `xdg-open` elsewhere. */
export function browserCommand(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'open' : 'xdg-open';
}

/** How long the page stays: a browser that is not running yet may take many seconds to start and read it. */
export const PAGE_LIFETIME_MS = 60_000;

export interface OpenOptions {
  /**
   * The run's environment (ctx.env), as every program vault starts is given it: where the opener is looked up
   * (PATH), what it inherits (less the passphrases), and the runtime directory.
   */
  env: NodeJS.ProcessEnv;
  command?: string;
  /** Where the page's directory is made; the per-user runtime directory (tmpfs) when there is one. */
  parent?: string;
  lifetimeMs?: number;
}

/** Pure: a page that sends the browser on to `url` at once, without telling the console where it came from. */
export function redirectPage(url: string): string {
  const attr = escapeAttribute(url);
  return (
    '<!doctype html>\n<html><head><meta charset="utf-8">\n<meta name="referrer" content="no-referrer">\n' +
    `<meta http-equiv="refresh" content="0;url=${attr}">\n<title>AWS console sign-in</title></head>\n` +
    `<body><a href="${attr}">Continue to the AWS console</a></body></html>\n`
  );
}

function escapeAttribute(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** XDG_RUNTIME_DIR (private to the user, in memory) if the session has one, else the system's temp directory. */
export function pageParent(env: NodeJS.ProcessEnv): string {
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime && isAbsolute(runtime) && statSync(runtime, { throwIfNoEntry: false })?.isDirectory() ? runtime : tmpdir();
}

/**
 * Hands the desktop's opener a private page that forwards to `url`, and reports whether the opener accepted it;
 * false when there is none (a server, a container) or it failed, so the caller can print the URL instead. The
 * opener's output is discarded: on a terminal without a desktop some openers start a text browser, which must not
 * take over vault's terminal.
 */
export async function openBrowser(url: string, options: OpenOptions): Promise<boolean> {
  const { execa } = await import('execa');
  const dir = await fsp.mkdtemp(join(options.parent ?? pageParent(options.env), 'vault-login-'));
  let opened = false;
  try {
    const page = join(dir, 'signin.html');
    await fsp.writeFile(page, redirectPage(url), { mode: 0o600, flag: 'wx' });
    const env = withoutPassphrases(options.env);
    const command = options.command ?? browserCommand(process.platform);
    const result = await execa(command, [page], { stdio: 'ignore', reject: false, timeout: 30_000, env, extendEnv: false });
    opened = !result.failed && result.exitCode === 0;
  } finally {
    if (opened) removeLater(dir, options.lifetimeMs ?? PAGE_LIFETIME_MS);
    else await fsp.rm(dir, { recursive: true, force: true });
  }
  return opened;
}

/**
 * The opener returns as soon as it has asked the browser, which reads the page later; a detached helper removes it
 * after `ms`, so `vault login` need not wait. Its arguments hold the directory's path only.
 */
function removeLater(dir: string, ms: number): void {
  const script = 'setTimeout(() => require("node:fs").rmSync(process.argv[1], { recursive: true, force: true }), Number(process.argv[2]))';
  spawn(process.execPath, ['-e', script, dir, String(ms)], { detached: true, stdio: 'ignore', env: {}, cwd: '/' }).unref();
}
