import type * as IamSdk from './iam-sdk.js';
import { suppressSdkVersionWarning } from '../aws/sdk-warning.js';
import { describeUnreadable, errorCode, NOT_SENT_CODES, scrub, unreadableAnswer } from '../aws/errors.js';
import type { AccessKey, IamApi, IamOperation } from './types.js';

type Sdk = typeof IamSdk;

// One attempt only: CreateAccessKey is not idempotent, and a retry after a lost answer could leave a second new key
// nobody knows the secret of. Short timeouts so that a missing network fails in seconds.
// throwOnRequestTimeout: as for STS (credentials/sts-client.ts), a server that never answers is an error, not a hang.
const CLIENT_OPTIONS = { maxAttempts: 1, requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000, throwOnRequestTimeout: true } };

let sdk: Promise<Sdk> | undefined;

// Only `vault rotate` needs IAM; no other command pays for loading its SDK.
function loadSdk(): Promise<Sdk> {
  if (!sdk) {
    suppressSdkVersionWarning(process);
    sdk = import('./iam-sdk.js');
  }
  return sdk;
}

/** An IAM call that failed, with the AWS error code and a one-line message that holds no secret. */
export class IamCallError extends Error {
  constructor(
    readonly operation: IamOperation,
    readonly awsCode: string,
    readonly awsMessage: string,
    /**
     * True when the call certainly did not take effect: IAM answered with an error, or no connection was made. False
     * when it may have (no answer, or one that was not IAM's, such as a gateway's error page).
     */
    readonly settled: boolean,
  ) {
    super(`IAM ${operation} failed: ${awsCode}: ${awsMessage}`);
    this.name = 'IamCallError';
  }
}

/** The IAM region of a partition: IAM is global, its endpoint lives in one region per partition. */
export function iamRegion(partition: string): string {
  if (partition === 'aws-cn') return 'cn-north-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

/**
 * AWS's own IAM endpoint of a partition. Named to the client rather than left to the SDK, which would read
 * AWS_PROFILE's or [default]'s endpoint_url (another profile's LocalStack, say) and AWS_ENDPOINT_URL_IAM itself.
 */
export function awsIamEndpoint(partition: string): string {
  if (partition === 'aws-cn') return 'https://iam.cn-north-1.amazonaws.com.cn';
  if (partition === 'aws-us-gov') return 'https://iam.us-gov.amazonaws.com';
  return 'https://iam.amazonaws.com';
}

/** IAM as `creds`, at `endpoint`: the one the environment or the profile names, else awsIamEndpoint's. */
export function createIamApi(creds: AccessKey, partition: string, endpoint: string): IamApi {
  let client: IamSdk.IAMClient | undefined;

  async function call<T>(operation: IamOperation, send: (m: Sdk, c: IamSdk.IAMClient) => Promise<T>): Promise<T> {
    const loaded = await loadSdk();
    client ??= new loaded.IAMClient({
      ...CLIENT_OPTIONS,
      region: iamRegion(partition),
      endpoint,
      credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
    });
    try {
      return await send(loaded, client);
    } catch (err) {
      const unreadable = unreadableAnswer(err);
      if (unreadable) {
        const why = `${endpoint} did not answer as IAM does (${describeUnreadable(unreadable)}); check AWS_ENDPOINT_URL_IAM, endpoint_url and any proxy in the way`;
        throw new IamCallError(operation, 'UnreadableAnswer', why, false);
      }
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const message = scrub(err instanceof Error ? err.message : String(err), [creds.secretAccessKey]);
      const code = errorCode(err);
      throw new IamCallError(operation, code, message, status !== undefined || NOT_SENT_CODES.has(code));
    }
  }

  return {
    async listAccessKeys(userName) {
      const out = await call('ListAccessKeys', (m, c) => c.send(new m.ListAccessKeysCommand({ UserName: userName })));
      return (out.AccessKeyMetadata ?? []).flatMap((k) => (k.AccessKeyId ? [k.AccessKeyId] : []));
    },
    async createAccessKey(userName) {
      const out = await call('CreateAccessKey', (m, c) => c.send(new m.CreateAccessKeyCommand({ UserName: userName })));
      const key = out.AccessKey;
      if (!key?.AccessKeyId || !key.SecretAccessKey) {
        throw new IamCallError('CreateAccessKey', 'NoAccessKey', 'the response held no access key', true);
      }
      return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    },
    async deleteAccessKey(userName, accessKeyId) {
      await call('DeleteAccessKey', (m, c) => c.send(new m.DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId })));
    },
  };
}
