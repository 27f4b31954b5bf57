import { driverCommand, readCode } from './mfa-sources.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';

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
