import { InvalidEnvironmentError, MfaSourceError } from './errors.js';
import { chosenDriver, driverCommand, installedDriver, promptDriver, readCode } from './mfa-sources.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const installed = (...programs: string[]) => (p: string) => programs.includes(p);

describe('promptDriver (AWS_VAULT_PROMPT)', () => {
  it('names none when unset or empty', () => {
    expect(promptDriver({})).toBeUndefined();
    expect(promptDriver({ AWS_VAULT_PROMPT: '' })).toBeUndefined();
    expect(promptDriver({ AWS_VAULT_PROMPT: 'terminal' })).toBe('terminal');
  });

  it('takes a driver it knows, installed or not (that is asked when a code is needed)', () => {
    for (const name of ['ykman', 'zenity', 'kdialog', 'osascript']) {
      expect(promptDriver({ AWS_VAULT_PROMPT: name, PATH: '' })).toBe(name);
      expect(() => installedDriver(name as 'ykman', {}, installed(name))).not.toThrow();
    }
  });

  it('names the missing program', () => {
    expect(() => installedDriver('zenity', {}, installed())).toThrow(MfaSourceError);
    expect(() => installedDriver('zenity', {}, installed())).toThrow(/needs the zenity program, which is not installed/);
    expect(() => installedDriver('zenity', { PATH: '' })).toThrow(/needs the zenity program/);
  });

  it('refuses an unknown driver, and points pass users at mfa_process', () => {
    expect(() => promptDriver({ AWS_VAULT_PROMPT: 'wincred' })).toThrow(InvalidEnvironmentError);
    expect(() => promptDriver({ AWS_VAULT_PROMPT: 'wincred' })).toThrow(/^AWS_VAULT_PROMPT="wincred" is not valid: expected one of terminal/);
    expect(() => promptDriver({ AWS_VAULT_PROMPT: 'pass' })).toThrow(/mfa_process = pass otp/);
  });
});

describe('chosenDriver (aws-vault\'s PromptDriver)', () => {
  it('takes the driver named, whatever is installed', () => {
    expect(chosenDriver('terminal', true, {}, installed('zenity'))).toBe('terminal');
    expect(chosenDriver('zenity', false, {}, installed())).toBe('zenity');
  });

  it('with none named: the terminal, unless stdout is not one or a server runs, then the first installed by name', () => {
    expect(chosenDriver(undefined, false, {}, installed('zenity', 'ykman'))).toBe('terminal');
    expect(chosenDriver(undefined, true, {}, installed('zenity', 'ykman'))).toBe('ykman');
    expect(chosenDriver(undefined, true, {}, installed('zenity', 'kdialog'))).toBe('kdialog');
    expect(chosenDriver(undefined, true, {}, installed('zenity'))).toBe('zenity');
    expect(chosenDriver(undefined, true, {}, installed())).toBe('terminal');
  });
});

describe('driverCommand', () => {
  it('asks ykman 4+ for the OATH account named after the MFA serial, or YKMAN_OATH_CREDENTIAL_NAME', () => {
    expect(driverCommand('ykman', SERIAL, {})).toEqual({
      file: 'ykman',
      args: ['oath', 'accounts', 'code', '--single', SERIAL],
      stdin: 'inherit',
    });
    expect(
      driverCommand('ykman', SERIAL, { YKMAN_OATH_CREDENTIAL_NAME: 'aws', YKMAN_OATH_DEVICE_SERIAL: '123', AWS_VAULT_YKMAN_VERSION: '3' }),
    ).toMatchObject({ args: ['--device', '123', 'oath', 'code', '--single', 'aws'] });
  });

  it('opens a dialog naming the MFA device', () => {
    expect(driverCommand('zenity', SERIAL, {})).toMatchObject({ file: 'zenity', args: expect.arrayContaining(['--entry', `Enter MFA code for ${SERIAL}: `]) });
    expect(driverCommand('kdialog', SERIAL, {})).toMatchObject({ file: 'kdialog', args: expect.arrayContaining(['--inputbox']) });
    expect(driverCommand('osascript', SERIAL, {})).toMatchObject({ file: 'osascript', args: ['-e', expect.stringContaining('display dialog')] });
  });
});

describe('readCode', () => {
  it("returns a command's output, trimmed", async () => {
    await expect(readCode({ shell: 'printf " 123456\\n"' }, 'mfa_process', process.env)).resolves.toBe('123456');
    await expect(readCode({ file: 'echo', args: ['654321'], stdin: 'ignore' }, 'the ykman MFA prompt', process.env)).resolves.toBe('654321');
  });

  it('names the source and the exit status, never the output', async () => {
    const failure = readCode({ shell: 'echo 999111; exit 3' }, 'mfa_process', process.env);
    await expect(failure).rejects.toThrow('mfa_process failed: it exited with status 3');
    await expect(failure).rejects.not.toThrow(/999111/);
    await expect(readCode({ file: '/nonexistent/zenity', args: [], stdin: 'ignore' }, 'the zenity MFA prompt', process.env)).rejects.toThrow(
      /the zenity MFA prompt failed: could not start it \(ENOENT\)/,
    );
  });
});
