import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { awsIamEndpoint, createIamApi, IamCallError, iamRegion } from './iam-client.js';

const CREDS = { accessKeyId: 'AKIAOLD0000000000001', secretAccessKey: 'old-secret-abcdefghijklmnopqrstuvwxyz01' };
const iam = mockClient(IAMClient);

beforeEach(() => iam.reset());
afterAll(() => iam.restore());

function serviceError(name: string, message: string, status: number): Error {
  return new IAMServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: status } });
}

test('lists, creates and deletes keys of the named user', async () => {
  iam.on(ListAccessKeysCommand, { UserName: 'reader' }).resolves({
    AccessKeyMetadata: [{ AccessKeyId: 'AKIA1' }, { AccessKeyId: 'AKIA2' }],
  });
  iam.on(CreateAccessKeyCommand, { UserName: 'reader' }).resolves({
    AccessKey: { UserName: 'reader', AccessKeyId: 'AKIANEW', SecretAccessKey: 'new-secret', Status: 'Active' },
  });
  iam.on(DeleteAccessKeyCommand, { UserName: 'reader', AccessKeyId: 'AKIA1' }).resolves({});
  const api = createIamApi(CREDS, 'aws', awsIamEndpoint('aws'));
  expect(await api.listAccessKeys('reader')).toEqual(['AKIA1', 'AKIA2']);
  expect(await api.createAccessKey('reader')).toEqual({ accessKeyId: 'AKIANEW', secretAccessKey: 'new-secret' });
  await api.deleteAccessKey('reader', 'AKIA1');
  expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(1);
});

test('a refusal keeps its AWS code; the client makes one attempt only (a retried create could make a second key)', async () => {
  iam.on(CreateAccessKeyCommand).rejects(serviceError('LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2', 409));
  const err = await createIamApi(CREDS, 'aws', awsIamEndpoint('aws')).createAccessKey('reader').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(IamCallError);
  expect(err).toMatchObject({ operation: 'CreateAccessKey', awsCode: 'LimitExceededException', settled: true });
  const client = iam.call(0).thisValue as IAMClient;
  expect(await client.config.maxAttempts()).toBe(1);
});

test('an error without an HTTP answer is marked unanswered, and the secret is masked in the message', async () => {
  const lost = Object.assign(new Error(`connect ETIMEDOUT signing with ${CREDS.secretAccessKey}`), { code: 'ETIMEDOUT' });
  iam.on(DeleteAccessKeyCommand).rejects(lost);
  const err = (await createIamApi(CREDS, 'aws', awsIamEndpoint('aws')).deleteAccessKey('reader', 'AKIA1').catch((e: unknown) => e)) as IamCallError;
  expect(err).toMatchObject({ operation: 'DeleteAccessKey', awsCode: 'ETIMEDOUT', settled: false });
  expect(err.message).not.toContain(CREDS.secretAccessKey);
  expect(err.message).toContain('****');
});

test("an answer that is not IAM's (a gateway's page) names the endpoint and its status, and may have taken effect", async () => {
  iam.on(CreateAccessKeyCommand).rejects(Object.assign(new Error('Unknown'), { name: 'Unknown', $metadata: { httpStatusCode: 502 } }));
  const err = (await createIamApi(CREDS, 'aws', 'http://proxy.local:8080').createAccessKey('reader').catch((e: unknown) => e)) as IamCallError;
  expect(err).toMatchObject({ awsCode: 'UnreadableAnswer', settled: false });
  expect(err.message).toBe(
    'IAM CreateAccessKey failed: UnreadableAnswer: http://proxy.local:8080 did not answer as IAM does (HTTP 502, no AWS error in it); check AWS_ENDPOINT_URL_IAM, endpoint_url and any proxy in the way',
  );
});

test('a connection never made is settled: the call did not take effect', async () => {
  iam.on(CreateAccessKeyCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
  const err = (await createIamApi(CREDS, 'aws', awsIamEndpoint('aws')).createAccessKey('reader').catch((e: unknown) => e)) as IamCallError;
  expect(err).toMatchObject({ awsCode: 'ECONNREFUSED', settled: true });
});

test('a CreateAccessKey answer without a key is an error', async () => {
  iam.on(CreateAccessKeyCommand).resolves({});
  await expect(createIamApi(CREDS, 'aws', awsIamEndpoint('aws')).createAccessKey('reader')).rejects.toMatchObject({ awsCode: 'NoAccessKey' });
});

test.each([
  ['aws', 'us-east-1'],
  ['aws-cn', 'cn-north-1'],
  ['aws-us-gov', 'us-gov-west-1'],
])('IAM of partition %s is called in %s', async (partition, region) => {
  expect(iamRegion(partition)).toBe(region);
  iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
  await createIamApi(CREDS, partition, awsIamEndpoint(partition)).listAccessKeys('reader');
  const client = iam.call(0).thisValue as IAMClient;
  expect(await client.config.region()).toBe(region);
  // Named to the SDK, which would otherwise read AWS_PROFILE's or [default]'s endpoint_url from the config file.
  expect(awsIamEndpoint(partition)).toMatch(/^https:\/\/iam\./);
});
