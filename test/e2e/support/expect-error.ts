import type { RunResult } from './process.js';
import { describeRun, stderrLines } from './vault.js';

/**
 * The CLI's error contract: the given exit status, exactly one stderr line starting `vault: ` that matches
 * `pattern`, and no stack trace. Returns that line so tests can compare messages.
 */
export function expectOneLineError(result: RunResult, pattern?: RegExp, code = 1): string {
  const context = describeRun(result);
  expect({ code: result.code, context }).toEqual({ code, context });
  const lines = stderrLines(result);
  expect({ lines, context }).toEqual({ lines: [expect.stringMatching(/^vault: /)], context });
  expect(result.stderr).not.toMatch(/^\s+at /m);
  const line = lines[0]!;
  if (pattern) expect(line).toMatch(pattern);
  return line;
}

/** Exit status 0, with the output in the failure message when not. */
export function expectSuccess(result: RunResult): void {
  const context = describeRun(result);
  expect({ code: result.code, context }).toEqual({ code: 0, context });
}
