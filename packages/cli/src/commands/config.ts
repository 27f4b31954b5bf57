import { checkValue, sectionHeader, type Setting } from '@vault/profiles';
import { validateProfileName } from '../config-files/access-key.js';
import { CliError } from '../errors/cli-error.js';
import { writeProfileValues } from '../config-files/config-write.js';
import type { Context } from '../io/context.js';

export interface SetRoleArgs {
  name: string;
  source: string;
  roleArn: string;
  mfaSerial?: string;
  region?: string;
}

/** Pure: the config keys `set-role` writes, in the order a person would, after checking each value's shape. */
export function roleSettings(args: SetRoleArgs): Setting[] {
  const settings: Array<[string, string, string]> = [
    ['role_arn', args.roleArn, '--role-arn'],
    ['source_profile', validateProfileName(args.source), '--source'],
  ];
  if (args.mfaSerial !== undefined) settings.push(['mfa_serial', args.mfaSerial, '--mfa-serial']);
  if (args.region !== undefined) settings.push(['region', args.region, '--region']);
  return settings.map(([key, raw, flag]) => {
    const value = raw.trim();
    // Whitespace inside a value would be read back as part of it (or start a comment), never what was meant.
    const reason = /\s/.test(value) ? 'it contains whitespace' : (checkValue(key, value) ?? extraCheck(key, value));
    if (reason) throw new CliError('INVALID_OPTION_VALUE', `${flag} ${JSON.stringify(value)} is not valid: ${reason}`, 2);
    return [key, value] as const;
  });
}

// The config checks accept any non-empty MFA serial (a file may hold what STS will reject); a value typed now gets
// the shape STS documents for SerialNumber.
function extraCheck(key: string, value: string): string | undefined {
  if (value === '') return 'it is empty';
  if (key === 'mfa_serial' && !/^[\w+=/:,.@-]{9,256}$/.test(value)) {
    return 'expected an MFA device ARN like arn:aws:iam::123456789012:mfa/NAME, or a hardware token serial';
  }
  return undefined;
}

/** `vault config set-role`: what `aws configure set profile.NAME.role_arn …` does, without reformatting the file. */
export async function setRole(ctx: Context, args: SetRoleArgs): Promise<void> {
  const profile = validateProfileName(args.name);
  const settings = roleSettings(args);
  const changed = await writeProfileValues(ctx.configPath, profile, settings);
  const summary = settings.map(([k, v]) => `${k} = ${v}`).join(', ');
  ctx.info(changed ? `Set ${summary} in ${sectionHeader(profile)} of ${ctx.configPath}.` : `${sectionHeader(profile)} already has ${summary}.`);
}
