#!/usr/bin/env node
// Renders the CLI's error catalogue into docs/troubleshooting.md, so the docs list exactly the errors the code
// can print. Run after `npm run build`; `--check` exits 1 when the file is out of date (the unit test uses it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTroubleshooting } from '../packages/cli/dist/errors/troubleshooting.js';

const target = fileURLToPath(new URL('../docs/troubleshooting.md', import.meta.url));
const text = renderTroubleshooting();
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error('docs/troubleshooting.md is out of date: run node scripts/gen-troubleshooting.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
