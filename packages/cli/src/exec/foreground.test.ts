import { inForegroundGroup } from './foreground.js';

describe('inForegroundGroup', () => {
  it("reads the process group and the terminal's foreground group from /proc/PID/stat", () => {
    expect(inForegroundGroup(4242, () => '4242 (node) S 4000 4242 4000 34816 4242 4194560 0 0')).toBe(true);
    expect(inForegroundGroup(4242, () => '4242 (node) S 4000 4242 4000 34816 4300 4194560 0 0')).toBe(false);
  });

  it('is false without a controlling terminal (tpgid -1)', () => {
    expect(inForegroundGroup(4242, () => '4242 (node) S 4000 4242 4242 0 -1 4194560 0 0')).toBe(false);
  });

  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    expect(inForegroundGroup(4242, () => '4242 (a) b (c) S 4000 4242 4000 34816 4242 0')).toBe(true);
  });

  it('is false where /proc cannot be read (vault then forwards every signal)', () => {
    expect(
      inForegroundGroup(4242, () => {
        throw new Error('ENOENT');
      }),
    ).toBe(false);
  });

  it('is false for a process that is gone', () => {
    expect(inForegroundGroup(2 ** 30)).toBe(false);
  });
});
