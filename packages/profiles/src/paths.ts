import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/** The AWS config file: AWS_CONFIG_FILE, else ~/.aws/config. */
export function configPath(env: Env = process.env, home: string = homedir()): string {
  return fromEnv(env.AWS_CONFIG_FILE, home) ?? join(home, '.aws', 'config');
}

/** The AWS shared credentials file: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
export function credentialsPath(env: Env = process.env, home: string = homedir()): string {
  return fromEnv(env.AWS_SHARED_CREDENTIALS_FILE, home) ?? join(home, '.aws', 'credentials');
}

// The AWS CLI expands a leading ~ in these variables (people write them in quotes, so the shell does not), and an
// empty variable means "not set" there too.
function fromEnv(value: string | undefined, home: string): string | undefined {
  return value ? expandHome(value, home) : undefined;
}

/** `path` with a leading `~` (alone or before `/`) read as the home directory, as the AWS CLI and aws-vault do. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}
