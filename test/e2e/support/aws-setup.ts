import type { Moto } from './moto.js';
import { run, type Env } from './process.js';
import { cleanEnv } from './sandbox.js';
import { describeRun } from './vault.js';

/** The account moto puts everything in unless told otherwise. */
export const MOTO_ACCOUNT = '123456789012';

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsSetup {
  /** Runs `aws --endpoint-url <moto> ARGS --output json` and parses the answer ({} for an empty one). */
  aws(args: readonly string[], keys?: Keys): Promise<any>;
  createUser(name: string): Promise<{ name: string; arn: string }>;
  createAccessKey(userName: string): Promise<Keys>;
  /** An inline policy allowing every action, for moto's authenticated mode. */
  allowEverything(userName: string): Promise<void>;
  /**
   * Creates role `name` in `account` (default moto's) trusting `trustedAccount` (default moto's) and returns
   * its ARN. Moto picks a request's account from the caller's access key, so a role in another account is
   * created with temporary keys of a role assumed in that account (moto lets AssumeRole reach a role that does
   * not exist yet, in any account).
   */
  createRole(name: string, options?: { account?: string; trustedAccount?: string }): Promise<string>;
}

const DUMMY: Keys = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export function awsSetup(moto: Pick<Moto, 'url'>): AwsSetup {
  const accountKeys = new Map<string, Keys>();

  async function aws(args: readonly string[], keys: Keys = DUMMY): Promise<any> {
    const env: Env = {
      ...cleanEnv(),
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      // Never read the developer's own AWS files.
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    if (keys.sessionToken) env.AWS_SESSION_TOKEN = keys.sessionToken;
    const result = await run('aws', ['--endpoint-url', moto.url, ...args, '--output', 'json'], { env, timeoutMs: 30_000 });
    if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed: ${describeRun(result)}`);
    return result.stdout.trim() ? JSON.parse(result.stdout) : {};
  }

  async function keysIn(account: string): Promise<Keys> {
    if (account === MOTO_ACCOUNT) return DUMMY;
    let keys = accountKeys.get(account);
    if (!keys) {
      const answer = await aws([
        'sts', 'assume-role',
        '--role-arn', `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
        '--role-session-name', 'e2e-setup',
      ]);
      keys = {
        accessKeyId: answer.Credentials.AccessKeyId,
        secretAccessKey: answer.Credentials.SecretAccessKey,
        sessionToken: answer.Credentials.SessionToken,
      };
      accountKeys.set(account, keys);
    }
    return keys;
  }

  return {
    aws,
    async createUser(name) {
      const answer = await aws(['iam', 'create-user', '--user-name', name]);
      return { name, arn: answer.User.Arn };
    },
    async createAccessKey(userName) {
      const answer = await aws(['iam', 'create-access-key', '--user-name', userName]);
      return { accessKeyId: answer.AccessKey.AccessKeyId, secretAccessKey: answer.AccessKey.SecretAccessKey };
    },
    async allowEverything(userName) {
      const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
      await aws(['iam', 'put-user-policy', '--user-name', userName, '--policy-name', 'allow-everything', '--policy-document', JSON.stringify(policy)]);
    },
    async createRole(name, options = {}) {
      const account = options.account ?? MOTO_ACCOUNT;
      const trust = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${options.trustedAccount ?? MOTO_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
      };
      const answer = await aws(
        ['iam', 'create-role', '--role-name', name, '--assume-role-policy-document', JSON.stringify(trust)],
        await keysIn(account),
      );
      return answer.Role.Arn as string;
    },
  };
}
