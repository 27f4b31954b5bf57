import { WebIdentityTokenError } from '../errors.js';
import { generatedSessionName } from '../session-name.js';
import { formatDuration } from '../duration.js';
import type { CredentialSource } from './source.js';

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
    // The plan (plan.ts) set the duration, as a hop's: --duration, AWS_ASSUME_ROLE_TTL, duration_seconds, 1 h.
    const { durationSeconds } = base;
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

