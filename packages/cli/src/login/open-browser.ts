import { withoutPassphrases } from '../vault-access/helper-env.js';

/** The desktop's "open this URL" command: `open` on macOS, `xdg-open` elsewhere. */
export function browserCommand(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'open' : 'xdg-open';
}

/**
 * Hands the URL to the desktop's opener and reports whether it accepted it; false when there is none (a server,
 * a container) or it failed, so the caller can print the URL instead. Its output is discarded: on a terminal
 * without a desktop some openers start a text browser, which must not take over vault's terminal.
 */
export async function openBrowser(url: string, command = browserCommand(process.platform)): Promise<boolean> {
  const { execa } = await import('execa');
  const env = withoutPassphrases(process.env);
  const result = await execa(command, [url], { stdio: 'ignore', reject: false, timeout: 30_000, env, extendEnv: false });
  return !result.failed && result.exitCode === 0;
}
