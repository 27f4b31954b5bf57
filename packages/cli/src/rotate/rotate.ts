// Replacing a profile's IAM access key: create a new key with the old one, wait until AWS accepts it, store it, then
// delete the old key. The order keeps a working key in the vault at every step: until the new key is stored the
// old one is untouched, and the old one is deleted only once the vault holds the new. When a step fails, the error
// says which keys exist in IAM and which one the vault holds, and a new key that never got stored is deleted again.
import { iamUserOfArn } from '../aws/arn.js';
import { CliError } from '../errors/cli-error.js';
import { IamCallError } from './iam-client.js';
import type { AccessKey, IamApi, RotateDeps, RotateResult } from './types.js';

/** Waits between checks of the new key: IAM keys usually work within seconds; this gives up after about 30 s. */
export const VERIFY_DELAYS_MS = [1_000, 2_000, 3_000, 4_000, 5_000, 5_000, 5_000, 5_000];

export class RotateError extends CliError {
  constructor(code: 'ROTATE_NOT_USER' | 'ROTATE_KEY_LIMIT' | 'ROTATE_FAILED' | 'ROTATE_OLD_KEY_LEFT', message: string) {
    super(code, message);
  }
}

interface User {
  name: string;
  partition: string;
}

export async function rotateAccessKey(
  profile: string,
  old: AccessKey,
  deps: RotateDeps,
  delays: readonly number[] = VERIFY_DELAYS_MS,
): Promise<RotateResult> {
  const user = await findUser(old, deps);
  const iam = deps.iam(old, user.partition);
  const deleteCommand = (id: string) => `\`aws iam delete-access-key --user-name ${user.name} --access-key-id ${id}\``;

  await checkKeyLimit(user, old, iam, deps);

  let next: AccessKey;
  try {
    next = await iam.createAccessKey(user.name);
  } catch (err) {
    throw createFailure(user, old, err);
  }
  deps.log(`created access key ${next.accessKeyId} for IAM user ${user.name}`);

  // A new key that never got stored is deleted again, so IAM is left as it was found. `held` is what the vault holds.
  const undo = async (failure: string, held: string = old.accessKeyId): Promise<RotateError> => {
    const oldState = held === old.accessKeyId ? 'stored in the vault, still working' : 'no longer stored in the vault';
    try {
      await iam.deleteAccessKey(user.name, next.accessKeyId);
    } catch (err) {
      return new RotateError(
        'ROTATE_FAILED',
        `${failure}, and deleting the new key again failed (${describe(err)}): IAM user ${user.name} now has two keys, ` +
          `${old.accessKeyId} (${oldState}) and ${next.accessKeyId} (not stored; delete it with ` +
          `${deleteCommand(next.accessKeyId)})`,
      );
    }
    return new RotateError(
      'ROTATE_FAILED',
      `${failure}; the new key was deleted again, so IAM is as it was and the vault holds ${held}` +
        `${held === old.accessKeyId ? ', which still works' : ''}`,
    );
  };

  try {
    await verify(next, deps, delays);
  } catch (err) {
    throw await undo(`the new key ${next.accessKeyId} was not accepted by AWS (${describe(err)})`);
  }

  try {
    await deps.store(old, next);
  } catch (err) {
    const held = await deps.storedKeyId();
    const failure = `could not store the new key ${next.accessKeyId} in the vault (${describe(err)})`;
    if (held === undefined) {
      throw new RotateError(
        'ROTATE_FAILED',
        `${failure}, and the vault cannot say which key it holds now: IAM user ${user.name} keeps both ` +
          `${old.accessKeyId} and ${next.accessKeyId}, both working; \`vault exec ${profile} --no-session -- printenv ` +
          `AWS_ACCESS_KEY_ID\` shows which one the vault holds: delete the other`,
      );
    }
    if (held !== next.accessKeyId) throw await undo(failure, held);
    deps.log(`the vault reported an error but holds ${next.accessKeyId}; continuing`);
  }
  deps.log(`stored ${next.accessKeyId} for ${profile}`);

  try {
    await iam.deleteAccessKey(user.name, old.accessKeyId);
  } catch (err) {
    const unanswered = err instanceof IamCallError && !err.settled;
    const state = unanswered
      ? `no answer came back, so IAM user ${user.name} may still have both; if it does, delete the old one with`
      : `IAM user ${user.name} still has both; delete the old one with`;
    throw new RotateError(
      'ROTATE_OLD_KEY_LEFT',
      `the new key ${next.accessKeyId} is stored and works, but deleting the old key ${old.accessKeyId} failed ` +
        `(${describe(err)}): ${state} ${deleteCommand(old.accessKeyId)}`,
    );
  }
  deps.log(`deleted access key ${old.accessKeyId}`);
  return { userName: user.name, oldKeyId: old.accessKeyId, newKeyId: next.accessKeyId };
}

/** The IAM user whose key `old` is, from the ARN GetCallerIdentity gives (arn:PARTITION:iam::ACCOUNT:user/PATH/NAME). */
async function findUser(old: AccessKey, deps: RotateDeps): Promise<User> {
  let arn: string;
  try {
    arn = await deps.callerArn(old);
  } catch (err) {
    throw new RotateError(
      'ROTATE_FAILED',
      `cannot find whose key the stored ${old.accessKeyId} is: GetCallerIdentity failed (${describe(err)}); nothing was changed`,
    );
  }
  const user = iamUserOfArn(arn);
  if (!user) {
    throw new RotateError(
      'ROTATE_NOT_USER',
      `the stored key ${old.accessKeyId} belongs to ${arn}, not to an IAM user, and vault rotate only replaces IAM user keys; nothing was changed`,
    );
  }
  deps.log(`the stored key ${old.accessKeyId} belongs to IAM user ${user.name}`);
  return user;
}

/**
 * AWS allows two keys per user, so a user who has two already cannot get a third. Listing first names the other key;
 * when listing is not allowed, CreateAccessKey's LimitExceeded says the same with less detail.
 */
async function checkKeyLimit(user: User, old: AccessKey, iam: IamApi, deps: RotateDeps): Promise<void> {
  let ids: string[];
  try {
    ids = await iam.listAccessKeys(user.name);
  } catch (err) {
    deps.log(`cannot list the keys of ${user.name} (${describe(err)}); trying CreateAccessKey anyway`);
    return;
  }
  if (ids.length < 2) return;
  const others = ids.filter((id) => id !== old.accessKeyId);
  throw new RotateError(
    'ROTATE_KEY_LIMIT',
    `IAM user ${user.name} already has ${ids.length} access keys (${ids.join(', ')}), the most AWS allows; ` +
      `delete the one vault does not use${others.length === 1 ? ` (${others[0]})` : ''} with \`aws iam delete-access-key ` +
      `--user-name ${user.name} --access-key-id ${others.length === 1 ? others[0] : 'ID'}\` and rotate again; nothing was changed`,
  );
}

function createFailure(user: User, old: AccessKey, err: unknown): RotateError {
  if (err instanceof IamCallError && err.awsCode.startsWith('LimitExceeded')) {
    return new RotateError(
      'ROTATE_KEY_LIMIT',
      `IAM user ${user.name} already has two access keys, the most AWS allows; delete the one vault does not use ` +
        `(not ${old.accessKeyId}; \`aws iam list-access-keys --user-name ${user.name}\` lists them) and rotate again; ` +
        'nothing was changed',
    );
  }
  if (err instanceof IamCallError && !err.settled) {
    return new RotateError(
      'ROTATE_FAILED',
      `IAM CreateAccessKey for user ${user.name} got no answer (${describe(err)}), so a new key may or may not exist; ` +
        `the stored key ${old.accessKeyId} is unchanged and still works; check \`aws iam list-access-keys --user-name ` +
        `${user.name}\` and delete any key other than ${old.accessKeyId}`,
    );
  }
  return new RotateError(
    'ROTATE_FAILED',
    `IAM CreateAccessKey for user ${user.name} failed (${describe(err)}); nothing was changed: the stored key ${old.accessKeyId} still works`,
  );
}

/**
 * GetCallerIdentity with the new key until AWS accepts it: a new key can take seconds to work everywhere. STS out of
 * reach for a moment is waited out the same way, rather than taken for a refusal of the key.
 */
async function verify(next: AccessKey, deps: RotateDeps, delays: readonly number[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.callerArn(next);
      deps.log(`the new key ${next.accessKeyId} works`);
      return;
    } catch (err) {
      const wait = delays[attempt];
      const code = (err as { code?: unknown }).code;
      if ((code !== 'STS_INVALID_KEYS' && code !== 'STS_NETWORK') || wait === undefined) throw err;
      deps.log(`the new key is not accepted yet (${describe(err)}); trying again in ${wait / 1000} s`);
      await deps.sleep(wait);
    }
  }
}

/** The AWS error code and message of a failure, or its message: never a secret (the clients scrub them). */
function describe(err: unknown): string {
  if (err instanceof IamCallError) return `${err.awsCode}: ${err.awsMessage}`;
  const failure = (err as { failure?: { awsCode?: unknown; awsMessage?: unknown } }).failure;
  if (failure && typeof failure.awsCode === 'string') return `${failure.awsCode}: ${String(failure.awsMessage)}`;
  return err instanceof Error ? err.message : String(err);
}
