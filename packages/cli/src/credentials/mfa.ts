import { InvalidMfaTokenError } from './errors.js';

export type MfaCodeSource = (serial: string) => Promise<string>;

/**
 * The MFA code of each STS call that sends one: the --mfa-token value (for every call, as aws-vault does), else asked
 * at that call. Read lazily, so a fully cached chain never asks. AWS refuses a code used twice, so a chain whose
 * roles name their own devices asks once per call that needs one.
 */
export function mfaCodeSource(flag: string | undefined, prompt: (serial: string) => Promise<string>): MfaCodeSource {
  return async (serial) => {
    const text = (flag ?? (await prompt(serial))).trim();
    if (!/^\d{6}$/.test(text)) throw new InvalidMfaTokenError(serial, flag !== undefined);
    return text;
  };
}
