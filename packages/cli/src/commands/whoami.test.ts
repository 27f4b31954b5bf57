import { renderIdentity } from './whoami.js';

const identity = {
  account: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/admin/1700000000000000000',
  userId: 'AROAEXAMPLEROLEID:1700000000000000000',
};

describe('renderIdentity', () => {
  it('prints one aligned line per field', () => {
    expect(renderIdentity(identity, false)).toBe(
      [
        'Account  123456789012',
        'Arn      arn:aws:sts::123456789012:assumed-role/admin/1700000000000000000',
        'UserId   AROAEXAMPLEROLEID:1700000000000000000',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with the keys of `aws sts get-caller-identity`', () => {
    const out = renderIdentity(identity, true);
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual({
      Account: '123456789012',
      Arn: 'arn:aws:sts::123456789012:assumed-role/admin/1700000000000000000',
      UserId: 'AROAEXAMPLEROLEID:1700000000000000000',
    });
  });
});
