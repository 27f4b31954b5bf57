/**
 * The role session name when the profile sets no role_session_name: aws-vault's, the time in nanoseconds since the
 * epoch as a bare number. It tells sessions apart in CloudTrail without revealing anything, and trust policies or
 * SCPs written against aws-vault's sessions (a condition on sts:RoleSessionName) match vault's alike.
 */
export function generatedSessionName(now: Date): string {
  return `${now.getTime()}000000`;
}
