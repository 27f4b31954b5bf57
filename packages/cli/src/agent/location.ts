// Where the agent of a vault listens, and what makes that place trustworthy. Node cannot ask the kernel who is at
// the other end of a unix socket (no SO_PEERCRED), so the filesystem is the access control, as for ssh-agent on
// systems without getpeereid: a directory only its owner can enter, holding a socket only its owner can open.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface AgentLocation {
  /** The vault file the agent serves, as an absolute path. */
  vault: string;
  /** The private directory holding the socket. */
  dir: string;
  socket: string;
}

/** sun_path is 108 bytes on Linux, including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

/**
 * `$XDG_RUNTIME_DIR/vault/` when the session has one (per-user, tmpfs, emptied at logout), else the vault's own
 * directory. Under XDG_RUNTIME_DIR the socket is named after the vault path, because AWS_VAULT_FILE_DIR lets
 * different shells use different vaults. The system makes that directory; one that does not exist (a variable left
 * from another session) is not made by vault, whose `mkdir -p` would have created it, and all above it, as root.
 */
export function agentLocation(env: NodeJS.ProcessEnv, vaultPath: string, isDir: (path: string) => boolean = isDirectory): AgentLocation {
  const vault = resolve(vaultPath);
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && isAbsolute(runtime) && isDir(runtime)) {
    const dir = join(runtime, 'vault');
    const id = pathId(vault);
    return { vault, dir, socket: join(dir, `agent-${id}.sock`) };
  }
  const dir = dirname(vault);
  return { vault, dir, socket: join(dir, 'agent.sock') };
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * 16 hex digits that tell vault paths apart (two 32-bit FNV-1a hashes of the path's UTF-16 units). Not a secret
 * and not a defence: the directory is the access control. node:crypto's sha256 did this before, and loading
 * node:crypto was ~5 ms of every cached `vault exec`.
 */
export function pathId(path: string): string {
  let a = 0x811c9dc5;
  let b = 0x811c9dc5 ^ 0x5bd1e995;
  for (let i = 0; i < path.length; i++) {
    const unit = path.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit ^ (i & 0xff), 0x01000193);
  }
  return [a, b].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}

/** The parts of fs.Stats the checks read. */
export interface OwnedEntry {
  uid: number;
  mode: number;
  isDirectory(): boolean;
  isSocket(): boolean;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function ownershipProblem(st: OwnedEntry, uid: number): string | undefined {
  if (st.uid !== uid) return `it belongs to uid ${st.uid}, not to this user (uid ${uid})`;
  if ((st.mode & 0o077) !== 0) return `it is accessible by other users (mode ${octal(st.mode)})`;
  return undefined;
}

/** Why the socket directory cannot be trusted, or undefined when it can: a directory of ours, closed to others. */
export function socketDirProblem(st: OwnedEntry, uid: number): string | undefined {
  if (!st.isDirectory()) return 'it is not a directory';
  return ownershipProblem(st, uid);
}

/** Why the socket cannot be trusted, or undefined when it can: a socket of ours that only we can open. */
export function socketFileProblem(st: OwnedEntry, uid: number): string | undefined {
  if (!st.isSocket()) return 'it is not a socket';
  return ownershipProblem(st, uid);
}

/** How to fix a socket directory `socketDirProblem` refused: chmod for one of ours, another place for anyone else's. */
export function socketDirFix(dir: string, st: OwnedEntry, uid: number): string {
  if (st.uid !== uid) return 'chmod cannot fix that: remove it as its owner, or set XDG_RUNTIME_DIR to a directory of your own';
  return `run \`chmod 700 ${dir}\``;
}

/** The current user's uid (process.getuid exists on every platform with unix sockets). */
export function currentUid(): number {
  return process.getuid ? process.getuid() : -1;
}
