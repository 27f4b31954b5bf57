import { StsError } from '../credentials/errors.js';
import { IamCallError } from './iam-client.js';
import { rotateAccessKey, RotateError } from './rotate.js';
import type { AccessKey, IamApi, IamOperation, RotateDeps } from './types.js';

const USER_ARN = 'arn:aws:iam::123456789012:user/team/reader';
const OLD: AccessKey = { accessKeyId: 'AKIAOLD0000000000001', secretAccessKey: 'old-secret-abcdefghijklmnopqrstuvwxyz01' };
const OTHER = 'AKIAOTHER00000000001';
const DELAYS = [10, 20, 30];

type Failure = IamCallError | undefined;

/** An IAM user with keys, STS that accepts exactly the keys IAM holds, and a vault holding one key id. */
class FakeAws {
  keys = new Map<string, string>([[OLD.accessKeyId, OLD.secretAccessKey]]);
  calls: string[] = [];
  fail: Partial<Record<IamOperation | 'ListAccessKeys', Failure>> = {};
  /** GetCallerIdentity answers InvalidClientTokenId for a new key this many times before accepting it. */
  lagging = 0;
  verifyError: Error | undefined;
  identityArn = USER_ARN;
  stored = OLD.accessKeyId;
  storeError: Error | undefined;
  storedAfterError: string | undefined | 'same' = 'same';
  slept: number[] = [];
  logs: string[] = [];
  partitions: string[] = [];
  created: AccessKey | undefined;
  private issued = 0;

  deps(): RotateDeps {
    return {
      iam: (creds, partition) => {
        this.partitions.push(partition);
        return this.iam(creds);
      },
      callerArn: async (creds) => {
        this.calls.push(`GetCallerIdentity ${creds.accessKeyId}`);
        if (creds.accessKeyId !== OLD.accessKeyId) {
          if (this.verifyError) throw this.verifyError;
          if (this.lagging-- > 0) throw invalidKeys();
        }
        if (this.keys.get(creds.accessKeyId) !== creds.secretAccessKey) throw invalidKeys();
        return this.identityArn;
      },
      store: async (old, next) => {
        this.calls.push(`store ${old.accessKeyId} -> ${next.accessKeyId}`);
        if (this.storeError) {
          if (this.storedAfterError !== 'same' && this.storedAfterError !== undefined) this.stored = this.storedAfterError;
          throw this.storeError;
        }
        this.stored = next.accessKeyId;
      },
      storedKeyId: async () => (this.storeError && this.storedAfterError === undefined ? undefined : this.stored),
      sleep: async (ms) => void this.slept.push(ms),
      log: (m) => this.logs.push(m),
    };
  }

  private iam(creds: AccessKey): IamApi {
    const check = (operation: IamOperation) => {
      this.calls.push(`${operation} as ${creds.accessKeyId}`);
      const failure = this.fail[operation];
      if (failure) throw failure;
    };
    return {
      listAccessKeys: async (user) => {
        expect(user).toBe('reader');
        check('ListAccessKeys');
        return [...this.keys.keys()];
      },
      createAccessKey: async (user) => {
        expect(user).toBe('reader');
        check('CreateAccessKey');
        const key = { accessKeyId: `AKIANEW000000000000${++this.issued}`, secretAccessKey: `new-secret-${this.issued}-abcdefghijklmnop` };
        this.keys.set(key.accessKeyId, key.secretAccessKey);
        this.created = key;
        return key;
      },
      deleteAccessKey: async (user, id) => {
        expect(user).toBe('reader');
        check('DeleteAccessKey');
        this.keys.delete(id);
      },
    };
  }
}

function invalidKeys(): StsError {
  return new StsError('STS_INVALID_KEYS', 'AWS rejected the credentials', {
    operation: 'GetCallerIdentity',
    awsCode: 'InvalidClientTokenId',
    awsMessage: 'The security token included in the request is invalid.',
    endpoint: 'http://sts',
  });
}

function iamError(operation: IamOperation, code: string, settled = true): IamCallError {
  return new IamCallError(operation, code, `${code} message`, settled);
}

async function rotateFailure(aws: FakeAws): Promise<RotateError> {
  const err = await rotateAccessKey('read-only', OLD, aws.deps(), DELAYS).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RotateError);
  return err as RotateError;
}

function expectNoSecrets(aws: FakeAws, text: string): void {
  for (const secret of [OLD.secretAccessKey, aws.created?.secretAccessKey]) if (secret) expect(text).not.toContain(secret);
}

test('creates, verifies, stores, then deletes the old key, leaving IAM with the stored key only', async () => {
  const aws = new FakeAws();
  const result = await rotateAccessKey('read-only', OLD, aws.deps(), DELAYS);
  const NEW = 'AKIANEW0000000000001';
  expect(result).toEqual({ userName: 'reader', oldKeyId: OLD.accessKeyId, newKeyId: NEW });
  expect(aws.calls).toEqual([
    `GetCallerIdentity ${OLD.accessKeyId}`,
    `ListAccessKeys as ${OLD.accessKeyId}`,
    `CreateAccessKey as ${OLD.accessKeyId}`,
    `GetCallerIdentity ${NEW}`,
    `store ${OLD.accessKeyId} -> ${NEW}`,
    `DeleteAccessKey as ${OLD.accessKeyId}`,
  ]);
  expect([...aws.keys.keys()]).toEqual([NEW]);
  expect(aws.stored).toBe(NEW);
  expect(aws.partitions).toEqual(['aws']);
  expectNoSecrets(aws, aws.logs.join('\n'));
});

test('IAM is reached in the partition of the user ARN', async () => {
  const aws = new FakeAws();
  aws.identityArn = 'arn:aws-cn:iam::123456789012:user/reader';
  await rotateAccessKey('read-only', OLD, aws.deps(), DELAYS);
  expect(aws.partitions).toEqual(['aws-cn']);
});

test('waits for a new key AWS does not accept yet, within the bound', async () => {
  const aws = new FakeAws();
  aws.lagging = 2;
  await rotateAccessKey('read-only', OLD, aws.deps(), DELAYS);
  expect(aws.slept).toEqual([10, 20]);
  expect(aws.stored).toMatch(/^AKIANEW/);
});

describe('nothing changes when it fails before a new key exists', () => {
  test('stored keys AWS rejects', async () => {
    const aws = new FakeAws();
    aws.keys.set(OLD.accessKeyId, 'rotated elsewhere');
    const err = await rotateFailure(aws);
    expect(err.code).toBe('ROTATE_FAILED');
    expect(err.message).toMatch(/GetCallerIdentity failed \(InvalidClientTokenId: .*\); nothing was changed$/);
  });

  test('keys of the root user, not an IAM user', async () => {
    const aws = new FakeAws();
    aws.identityArn = 'arn:aws:iam::123456789012:root';
    const err = await rotateFailure(aws);
    expect(err.code).toBe('ROTATE_NOT_USER');
    expect(err.message).toContain('belongs to arn:aws:iam::123456789012:root, not to an IAM user');
  });

  test('two keys already: names the other one and how to delete it', async () => {
    const aws = new FakeAws();
    aws.keys.set(OTHER, 'x');
    const err = await rotateFailure(aws);
    expect(err.code).toBe('ROTATE_KEY_LIMIT');
    expect(err.message).toContain(`IAM user reader already has 2 access keys (${OLD.accessKeyId}, ${OTHER})`);
    expect(err.message).toContain(`\`aws iam delete-access-key --user-name reader --access-key-id ${OTHER}\``);
    expect(err.message).toMatch(/nothing was changed$/);
    expect(aws.calls.some((c) => c.startsWith('CreateAccessKey'))).toBe(false);
  });

  test('two keys, found by CreateAccessKey when listing is not allowed', async () => {
    const aws = new FakeAws();
    aws.fail.ListAccessKeys = iamError('ListAccessKeys', 'AccessDenied');
    aws.fail.CreateAccessKey = iamError('CreateAccessKey', 'LimitExceeded');
    const err = await rotateFailure(aws);
    expect(err.code).toBe('ROTATE_KEY_LIMIT');
    expect(err.message).toMatch(/already has two access keys.*nothing was changed$/);
  });

  test('CreateAccessKey refused', async () => {
    const aws = new FakeAws();
    aws.fail.CreateAccessKey = iamError('CreateAccessKey', 'AccessDenied');
    const err = await rotateFailure(aws);
    expect(err.message).toBe(
      `IAM CreateAccessKey for user reader failed (AccessDenied: AccessDenied message); nothing was changed: the stored key ${OLD.accessKeyId} still works`,
    );
  });

  test('CreateAccessKey without an answer: says a key may exist', async () => {
    const aws = new FakeAws();
    aws.fail.CreateAccessKey = iamError('CreateAccessKey', 'ETIMEDOUT', false);
    const err = await rotateFailure(aws);
    expect(err.message).toContain('got no answer (ETIMEDOUT: ETIMEDOUT message), so a new key may or may not exist');
    expect(err.message).toContain('`aws iam list-access-keys --user-name reader`');
  });
});

describe('a new key that does not get stored is deleted again', () => {
  test('AWS never accepts it: gives up after the last delay', async () => {
    const aws = new FakeAws();
    aws.lagging = 99;
    const err = await rotateFailure(aws);
    expect(aws.slept).toEqual(DELAYS);
    expect(err.code).toBe('ROTATE_FAILED');
    expect(err.message).toMatch(
      /^the new key AKIANEW0000000000001 was not accepted by AWS \(InvalidClientTokenId: .*\); the new key was deleted again, so IAM is as it was and the vault holds AKIAOLD0000000000001, which still works$/,
    );
    expect([...aws.keys.keys()]).toEqual([OLD.accessKeyId]);
    expect(aws.stored).toBe(OLD.accessKeyId);
  });

  test('STS out of reach for a moment is waited out, as a key not accepted yet is', async () => {
    const aws = new FakeAws();
    aws.verifyError = Object.assign(new Error('cannot reach STS (ECONNRESET)'), { code: 'STS_NETWORK' });
    const err = await rotateFailure(aws);
    expect(aws.slept).toEqual(DELAYS);
    expect(err.message).toContain('was not accepted by AWS');
  });

  test('an error other than "not accepted yet" is not retried', async () => {
    const aws = new FakeAws();
    aws.verifyError = new Error('socket hang up');
    await rotateFailure(aws);
    expect(aws.slept).toEqual([]);
    expect([...aws.keys.keys()]).toEqual([OLD.accessKeyId]);
  });

  test('and when deleting it fails too, says both keys exist and how to delete the unstored one', async () => {
    const aws = new FakeAws();
    aws.lagging = 99;
    aws.fail.DeleteAccessKey = iamError('DeleteAccessKey', 'AccessDenied');
    const err = await rotateFailure(aws);
    expect(err.message).toContain(
      `IAM user reader now has two keys, ${OLD.accessKeyId} (stored in the vault, still working) and AKIANEW0000000000001 (not stored; ` +
        'delete it with `aws iam delete-access-key --user-name reader --access-key-id AKIANEW0000000000001`)',
    );
    expectNoSecrets(aws, err.message);
  });

  test('the vault write fails and the vault still holds the old key', async () => {
    const aws = new FakeAws();
    aws.storeError = new Error('could not lock the vault /v/vault: another vault process is holding its lock');
    const err = await rotateFailure(aws);
    expect(err.message).toMatch(/^could not store the new key AKIANEW0000000000001 in the vault \(could not lock .*\); the new key was deleted again/);
    expect([...aws.keys.keys()]).toEqual([OLD.accessKeyId]);
  });

  test('the vault was changed by someone else meanwhile: says which key it holds', async () => {
    const aws = new FakeAws();
    aws.storeError = new Error('the keys stored for "read-only" changed during the rotation');
    aws.storedAfterError = OTHER;
    const err = await rotateFailure(aws);
    expect(err.message).toMatch(/the new key was deleted again, so IAM is as it was and the vault holds AKIAOTHER00000000001$/);
  });
});

test('a vault write that reports an error but took effect counts as stored', async () => {
  const aws = new FakeAws();
  aws.storeError = new Error('fsync of the directory failed');
  aws.storedAfterError = 'AKIANEW0000000000001';
  await expect(rotateAccessKey('read-only', OLD, aws.deps(), DELAYS)).resolves.toMatchObject({ newKeyId: 'AKIANEW0000000000001' });
  expect([...aws.keys.keys()]).toEqual(['AKIANEW0000000000001']);
});

test('when the vault cannot tell which key it holds, both keys stay and the message says how to check', async () => {
  const aws = new FakeAws();
  aws.storeError = new Error('vault file is corrupt');
  aws.storedAfterError = undefined;
  const err = await rotateFailure(aws);
  expect(err.message).toContain(`keeps both ${OLD.accessKeyId} and AKIANEW0000000000001, both working`);
  expect(err.message).toContain('`vault exec read-only --no-session -- printenv AWS_ACCESS_KEY_ID`');
  expect(aws.keys.size).toBe(2);
});

test('deleting the old key fails: the new one is stored, and the message says how to delete the old', async () => {
  const aws = new FakeAws();
  aws.fail.DeleteAccessKey = iamError('DeleteAccessKey', 'ETIMEDOUT', false);
  const err = await rotateFailure(aws);
  expect(err.code).toBe('ROTATE_OLD_KEY_LEFT');
  expect(err.message).toBe(
    `the new key AKIANEW0000000000001 is stored and works, but deleting the old key ${OLD.accessKeyId} failed (ETIMEDOUT: ` +
      'ETIMEDOUT message): no answer came back, so IAM user reader may still have both; if it does, delete the old ' +
      `one with \`aws iam delete-access-key --user-name reader --access-key-id ${OLD.accessKeyId}\``,
  );
  expect(aws.stored).toBe('AKIANEW0000000000001');
});
