import { usageMessage } from './usage-message.js';

describe('usageMessage', () => {
  test('an unknown option is named as it was typed, dashes and all', () => {
    expect(usageMessage('Unknown argument: bogus', ['exec', '--bogus', 'p', '--', 'true'])).toBe('exec has no option --bogus');
    expect(usageMessage('Unknown arguments: bogus, zz', ['list', '--bogus', '--zz=1'])).toBe('list has no option --bogus, --zz');
    expect(usageMessage('Unknown argument: z', ['list', '-z'])).toBe('list has no option -z');
  });

  test('a word where the command takes none is quoted, even a letter that is also a short option given', () => {
    expect(usageMessage('Unknown argument: extra', ['whoami', 'p', 'extra'])).toBe('whoami takes no "extra" there');
    expect(usageMessage('Unknown argument: f', ['remove', '-f', 'p', 'f'])).toBe('remove takes no "f" there');
  });

  test('a --no- form and an alias are said as typed', () => {
    expect(usageMessage('Unknown argument: bogus', ['ls', '--no-bogus'])).toBe('ls has no option --no-bogus');
  });

  test('a missing positional is named, with the line that gives it', () => {
    expect(usageMessage('Not enough non-option arguments: got 0, need at least 1', ['add'])).toBe('add needs PROFILE: vault add PROFILE');
    expect(usageMessage('Not enough non-option arguments: got 0, need at least 1', ['--debug', 'config', 'set-role'])).toBe(
      'config set-role needs NAME: vault config set-role NAME',
    );
  });

  test('any other message is left as yargs wrote it', () => {
    expect(usageMessage('Invalid values:\n  Argument: shell', ['completion', 'fish'])).toBe('Invalid values:\n  Argument: shell');
  });
});
