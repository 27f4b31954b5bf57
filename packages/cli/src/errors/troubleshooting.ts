import { CATALOGUE } from './catalogue.js';

/** Pure: the troubleshooting page, generated from the error catalogue. */
export function renderTroubleshooting(): string {
  const rows = Object.entries(CATALOGUE)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, e]) => `| \`${code}\` | ${e.cause} | ${e.fix || 'The message says what to do.'} | ${e.exitCode ?? 1} |`);
  return [
    '# Troubleshooting',
    '',
    '<!-- Generated from packages/cli/src/errors/catalogue.ts by scripts/gen-troubleshooting.mjs; do not edit by hand. -->',
    '',
    'Every error is one line on stderr, `vault: <what happened>. <what to do>`, with a non-zero exit status.',
    'Run the command again with `--debug` for diagnostics (secrets are redacted) and a stack trace.',
    '',
    '| code | cause | fix | exit |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
