import { WebIdentityTokenError } from '../errors.js';
import { generatedSessionName } from '../session-name.js';
import { LIMITS, checkRange, formatDuration } from '../duration.js';
import type { ResolveOptions } from '../types.js';
import type { BaseOf, CredentialSource } from './source.js';

/**
 * web_identity_token_file + role_arn: AssumeRoleWithWebIdentity, unsigned (the token is the proof). The file is
 * read on every use because the platform (EKS, GitHub Actions, ...) rotates it.
 */
export const webIdentity: CredentialSource<'web-identity'> = {
  keyTag: 'arwi',
  usesVault: false,
  describe: (base) => `the web identity role ${base.roleArn} of profile ${base.profile}`,
  async credentials(base, deps, opts) {
    let token: string;
    try {
      token = (await deps.readTokenFile(base.tokenFile)).trim();
    } catch (err) {
      throw new WebIdentityTokenError(base.profile, base.tokenFile, (err as NodeJS.ErrnoException).code ?? String(err));
    }
    if (token === '') throw new WebIdentityTokenError(base.profile, base.tokenFile, 'the file is empty');
    const roleSessionName = base.roleSessionName ?? generatedSessionName(deps.clock());
    const durationSeconds = webIdentityDuration(base, opts);
    deps.log(`AssumeRoleWithWebIdentity ${base.roleArn} for ${base.profile}${durationSeconds === undefined ? '' : ` (${formatDuration(durationSeconds)})`}`);
    const anonymous = { accessKeyId: '', secretAccessKey: '' };
    const creds = await deps.sts(anonymous, opts.region).assumeRoleWithWebIdentity({
      roleArn: base.roleArn,
      roleSessionName,
      webIdentityToken: token,
      ...(durationSeconds !== undefined && { durationSeconds }),
    });
    return { creds };
  },
};

/**
 * As aws-vault asks for it (its AssumeRoleDuration): --duration, else AWS_ASSUME_ROLE_TTL, else the profile's
 * duration_seconds; with none, STS's own default (1 h).
 */
function webIdentityDuration(base: BaseOf<'web-identity'>, opts: ResolveOptions): number | undefined {
  const [seconds, source] =
    opts.durationSeconds !== undefined
      ? [opts.durationSeconds, opts.durationSource ?? '--duration']
      : opts.assumeRoleSeconds !== undefined
        ? [opts.assumeRoleSeconds, 'AWS_ASSUME_ROLE_TTL']
        : [base.durationSeconds, `duration_seconds of profile ${base.profile}`];
  if (seconds !== undefined) checkRange(seconds, LIMITS.assumeRole, 'AssumeRoleWithWebIdentity', source);
  return seconds;
}
