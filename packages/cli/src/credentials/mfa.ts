import { InvalidMfaTokenError } from './errors.js';

export type MfaCodeSource = (serial: string) => Promise<string>;

/**
 * The MFA code for one resolve: the --mfa-token value, else asked once. A resolve sends at most one code (on its
 * first STS call) and AWS refuses a code used twice, so it is read lazily — a fully cached chain never asks.
 */
export function mfaCodeSource(flag: string | undefined, prompt: (serial: string) => Promise<string>): MfaCodeSource {
  let code: Promise<string> | undefined;
  return (serial) => (code ??= read(serial));

  async function read(serial: string): Promise<string> {
    const text = (flag ?? (await prompt(serial))).trim();
    if (!/^\d{6}$/.test(text)) throw new InvalidMfaTokenError(serial, flag !== undefined);
    return text;
  }
}
