import { createHash, createHmac } from 'node:crypto';
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
  /**
   * Runs `aws --endpoint-url <moto> ARGS --output json` and parses the answer ({} for an empty one): the real AWS
   * CLI, for checking what moto holds. The other methods set moto up without it.
   */
  aws(args: readonly string[], keys?: Keys): Promise<any>;
  createUser(name: string): Promise<{ name: string; arn: string; userId: string }>;
  createAccessKey(userName: string): Promise<Keys>;
  /** The ARN STS GetCallerIdentity answers for `keys`: whose credentials they are, as moto sees them. */
  callerArn(keys: Keys): Promise<string>;
  /** The user's access key ids, sorted, as IAM ListAccessKeys signed with `keys` answers them. */
  accessKeyIds(userName: string, keys?: Keys): Promise<string[]>;
  /** An inline identity policy (the document as JSON-able data), for moto's authenticated mode. */
  putUserPolicy(userName: string, policyName: string, document: object): Promise<void>;
  /** An inline policy allowing every action. */
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

const API_VERSIONS = { iam: '2010-05-08', sts: '2011-06-15' } as const;

/**
 * One IAM or STS action sent straight to moto in the AWS query protocol: an `aws` run costs about 1.8 s of CPU
 * (Python and botocore start-up), this a millisecond. It is signed (SigV4) with `keys`, so it also works once a file
 * has turned moto's checks on (sharedMoto's authCount): the setup's dummy keys then fail as any unknown key does.
 * Moto runs the action in the account of the access key.
 */
async function query(url: string, service: keyof typeof API_VERSIONS, params: Record<string, string>, keys: Keys): Promise<string> {
  const body = new URLSearchParams({ ...params, Version: API_VERSIONS[service] }).toString();
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  const scope = `${amzDate.slice(0, 8)}/us-east-1/${service}/aws4_request`;
  const signed: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: new URL(url).host,
    'x-amz-date': amzDate,
    ...(keys.sessionToken && { 'x-amz-security-token': keys.sessionToken }),
  };
  const names = Object.keys(signed).join(';');
  const canonical = ['POST', '/', '', ...Object.entries(signed).map(([k, v]) => `${k}:${v}`), '', names, sha256(body)].join('\n');
  const signingKey = ['us-east-1', service, 'aws4_request'].reduce((k, part) => hmac(k, part), hmac(`AWS4${keys.secretAccessKey}`, amzDate.slice(0, 8)));
  const signature = hmac(signingKey, ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n')).toString('hex');
  const { host: _, ...headers } = signed;
  headers.Authorization = `AWS4-HMAC-SHA256 Credential=${keys.accessKeyId}/${scope}, SignedHeaders=${names}, Signature=${signature}`;
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${service} ${params.Action} failed (${response.status}): ${text}`);
  return text;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/** The text of the first <name> element of a query-protocol answer; its values here (ids, keys, ARNs) need no unescaping. */
function element(xml: string, name: string): string {
  const found = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!found) throw new Error(`no <${name}> in moto's answer: ${xml}`);
  return found[1]!;
}

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

  const iam = (params: Record<string, string>, keys: Keys = DUMMY) => query(moto.url, 'iam', params, keys);

  async function keysIn(account: string): Promise<Keys> {
    if (account === MOTO_ACCOUNT) return DUMMY;
    let keys = accountKeys.get(account);
    if (!keys) {
      const answer = await query(
        moto.url,
        'sts',
        { Action: 'AssumeRole', RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'e2e-setup' },
        DUMMY,
      );
      keys = {
        accessKeyId: element(answer, 'AccessKeyId'),
        secretAccessKey: element(answer, 'SecretAccessKey'),
        sessionToken: element(answer, 'SessionToken'),
      };
      accountKeys.set(account, keys);
    }
    return keys;
  }

  return {
    aws,
    async createUser(name) {
      const answer = await iam({ Action: 'CreateUser', UserName: name });
      return { name, arn: element(answer, 'Arn'), userId: element(answer, 'UserId') };
    },
    async createAccessKey(userName) {
      const answer = await iam({ Action: 'CreateAccessKey', UserName: userName });
      return { accessKeyId: element(answer, 'AccessKeyId'), secretAccessKey: element(answer, 'SecretAccessKey') };
    },
    async callerArn(keys) {
      return element(await query(moto.url, 'sts', { Action: 'GetCallerIdentity' }, keys), 'Arn');
    },
    async accessKeyIds(userName, keys = DUMMY) {
      const answer = await iam({ Action: 'ListAccessKeys', UserName: userName }, keys);
      return [...answer.matchAll(/<AccessKeyId>([^<]*)<\/AccessKeyId>/g)].map((m) => m[1]!).sort();
    },
    async putUserPolicy(userName, policyName, document) {
      await iam({ Action: 'PutUserPolicy', UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) });
    },
    async allowEverything(userName) {
      await this.putUserPolicy(userName, 'allow-everything', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    },
    async createRole(name, options = {}) {
      const account = options.account ?? MOTO_ACCOUNT;
      const trust = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${options.trustedAccount ?? MOTO_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
      };
      const answer = await iam({ Action: 'CreateRole', RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }, await keysIn(account));
      return element(answer, 'Arn');
    },
  };
}
