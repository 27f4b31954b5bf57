import { endOfOptions } from './end-of-options.js';

describe('endOfOptions', () => {
  test('the words after `--` are positionals again for a command other than exec', () => {
    expect(endOfOptions(['remove', '-f', '--', 'team'])).toEqual(['remove', '-f', 'team']);
    expect(endOfOptions(['--debug', 'add', '--env', '--', 'a'])).toEqual(['--debug', 'add', '--env', 'a']);
  });

  test("exec's words after `--` are its command, left as they are", () => {
    expect(endOfOptions(['exec', 'p', '--', 'ls', '-la'])).toEqual(['exec', 'p', '--', 'ls', '-la']);
    expect(endOfOptions(['--debug', 'exec', 'p', '--', 'ls'])).toEqual(['--debug', 'exec', 'p', '--', 'ls']);
  });

  test('a line without `--` is untouched', () => {
    const line = ['list', '--profiles'];
    expect(endOfOptions(line)).toBe(line);
  });

  test('a name beginning with "-" after `--` is a usage error naming it, not an option read from it', () => {
    expect(() => endOfOptions(['add', '--', '-x'])).toThrow(expect.objectContaining({ code: 'USAGE', exitCode: 2, message: expect.stringContaining('"-x" after `--`') }));
    expect(endOfOptions(['add', '--', '-'])).toEqual(['add', '-']);
  });
});
