import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Env } from './process.js';

export interface Sandbox {
  home: string;
  configFile: string;
  credentialsFile: string;
  /** AWS_VAULT_FILE_DIR; not created, so the CLI's own mkdir (and its mode) is what tests see. */
  vaultDir: string;
  vaultFile: string;
  /** PATH, HOME, the AWS file locations and VAULT_TEST_KDF=fast; no inherited AWS_* variable. */
  env: Env;
  /** Replaces the AWS config file. */
  writeConfig(text: string): Promise<void>;
  remove(): Promise<void>;
}

/**
 * The test process's environment without anything that could leak into the CLI: every AWS_* variable (a
 * developer's real profile or keys), NODE_OPTIONS (Jest's --experimental-vm-modules), npm's settings, and
 * XDG_RUNTIME_DIR (so a test's `vault unlock` keeps its agent socket in the sandbox's vault directory).
 */
export function cleanEnv(): Env {
  const env: Env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key.startsWith('AWS_') || key === 'NODE_OPTIONS' || key.startsWith('npm_') || key === 'TMUX' || key === 'TMUX_PANE' || key === 'XDG_RUNTIME_DIR') continue;
    env[key] = value;
  }
  return env;
}

/** A throw-away HOME with an empty `.aws/`; call remove() when done. */
export async function sandbox(options: { fastKdf?: boolean } = {}): Promise<Sandbox> {
  const home = await mkdtemp(join(tmpdir(), 'vault-e2e-'));
  const awsDir = join(home, '.aws');
  await mkdir(awsDir, { mode: 0o700 });
  const configFile = join(awsDir, 'config');
  const credentialsFile = join(awsDir, 'credentials');
  const vaultDir = join(home, 'vault-dir');
  const env: Env = {
    ...cleanEnv(),
    HOME: home,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_VAULT_FILE_DIR: vaultDir,
    // Keeps the AWS CLI and SDKs from probing the EC2 metadata service when a test has no credentials.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (options.fastKdf ?? true) env.VAULT_TEST_KDF = 'fast';
  return {
    home,
    configFile,
    credentialsFile,
    vaultDir,
    vaultFile: join(vaultDir, 'vault'),
    env,
    async writeConfig(text) {
      await writeFile(configFile, text);
      await chmod(configFile, 0o600);
    },
    async remove() {
      await rm(home, { recursive: true, force: true });
    },
  };
}
