/** Pure: the partition and name of an IAM user from its ARN (arn:PARTITION:iam::ACCOUNT:user/PATH/NAME), else undefined. */
export function iamUserOfArn(arn: string): { partition: string; name: string } | undefined {
  const m = /^arn:([^:]+):iam::\d+:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { partition: m[1] as string, name: m[2] as string } : undefined;
}
