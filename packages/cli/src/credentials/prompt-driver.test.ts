import { InvalidEnvironmentError, MfaSourceError } from './errors.js';
import { chosenDriver, installedDriver, promptDriver } from './prompt-driver.js';

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
      expect(() => installedDriver(name as 'ykman', {}, 'AWS_VAULT_PROMPT', installed(name))).not.toThrow();
    }
  });

  it('names the missing program', () => {
    expect(() => installedDriver('zenity', {}, 'AWS_VAULT_PROMPT', installed())).toThrow(MfaSourceError);
    expect(() => installedDriver('zenity', {}, 'AWS_VAULT_PROMPT', installed())).toThrow(/needs the zenity program, which is not installed/);
    expect(() => installedDriver('zenity', { PATH: '' }, '--prompt')).toThrow(/^--prompt zenity needs the zenity program/);
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
    const desktop = { DISPLAY: ':0' };
    expect(chosenDriver(undefined, true, desktop, installed('zenity', 'ykman'))).toBe('ykman');
    expect(chosenDriver(undefined, true, desktop, installed('zenity', 'kdialog'))).toBe('kdialog');
    expect(chosenDriver(undefined, true, { WAYLAND_DISPLAY: 'wayland-0' }, installed('zenity'))).toBe('zenity');
    expect(chosenDriver(undefined, true, desktop, installed())).toBe('terminal');
  });

  it('passes over the dialogs without a display (an ssh session): they could show nothing', () => {
    expect(chosenDriver(undefined, true, {}, installed('zenity', 'kdialog'))).toBe('terminal');
    expect(chosenDriver(undefined, true, {}, installed('zenity', 'ykman'))).toBe('ykman');
    expect(chosenDriver(undefined, true, {}, installed('osascript'))).toBe('osascript');
  });
});

