import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/** The AWS config file: AWS_CONFIG_FILE, else ~/.aws/config. */
export function configPath(env: Env, home: string): string {
  return fromEnv(env.AWS_CONFIG_FILE, home, env) ?? join(home, '.aws', 'config');
}

/** The AWS shared credentials file: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
export function credentialsPath(env: Env, home: string): string {
  return fromEnv(env.AWS_SHARED_CREDENTIALS_FILE, home, env) ?? join(home, '.aws', 'credentials');
}

// The AWS CLI expands a leading ~ and then $VAR / ${VAR} in these variables (botocore: os.path.expandvars of
// os.path.expanduser; people write them in quotes, or in env files and systemd units that expand nothing), and an
// empty variable means "not set" there too.
function fromEnv(value: string | undefined, home: string, env: Env): string | undefined {
  return value ? expandVariables(expandHome(value, home), env) : undefined;
}

/** Python's os.path.expandvars: `$NAME` and `${NAME}` replaced by the variable's value; an unset one left as written. */
export function expandVariables(path: string, env: Env): string {
  return path.replace(/\$(\w+|\{[^}]*\})/g, (written, name: string) => {
    const value = env[name.startsWith('{') ? name.slice(1, -1) : name];
    return value === undefined ? written : value;
  });
}

/** `path` with a leading `~` (alone or before `/`) read as the home directory, as the AWS CLI and aws-vault do. */
export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}
