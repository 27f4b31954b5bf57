export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export type IamOperation = 'ListAccessKeys' | 'CreateAccessKey' | 'DeleteAccessKey';

/** The IAM calls rotation makes, behind an interface so the steps can be tested with a fake. */
export interface IamApi {
  listAccessKeys(userName: string): Promise<string[]>;
  createAccessKey(userName: string): Promise<AccessKey>;
  deleteAccessKey(userName: string, accessKeyId: string): Promise<void>;
}

export interface RotateDeps {
  /** IAM as the given key, in the given partition (aws, aws-cn, ...). */
  iam(creds: AccessKey, partition: string): IamApi;
  /** STS GetCallerIdentity as the given key. */
  callerArn(creds: AccessKey): Promise<string>;
  /** Replaces the stored key `old` by `next` (and drops the sessions made from it) in one vault update. */
  store(old: AccessKey, next: AccessKey): Promise<void>;
  /** The key id the vault holds for the profile now; undefined when it cannot tell. */
  storedKeyId(): Promise<string | undefined>;
  sleep(ms: number): Promise<void>;
  /** --debug diagnostics; never given a secret. */
  log(message: string): void;
}

export interface RotateResult {
  userName: string;
  oldKeyId: string;
  newKeyId: string;
}
