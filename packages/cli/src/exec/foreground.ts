import { readFileSync } from 'node:fs';

/**
 * Whether this process is in the foreground process group of its controlling terminal (Linux, from /proc; false
 * where that cannot be read). A Ctrl-C or Ctrl-\ typed at the terminal is then sent by the kernel to the whole
 * group, the child included, so vault must not send it a second one: a second SIGINT makes some programs (terraform)
 * give up at once. `stat` is injectable for tests.
 */
export function inForegroundGroup(stat: () => string = () => readFileSync('/proc/self/stat', 'latin1')): boolean {
  let text: string;
  try {
    text = stat();
  } catch {
    return false;
  }
  // "pid (comm) state ppid pgrp session tty_nr tpgid ...": comm may hold spaces and parentheses, so fields are
  // counted from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const pgrp = Number(fields[2]);
  const tpgid = Number(fields[5]);
  return Number.isInteger(pgrp) && pgrp > 0 && pgrp === tpgid;
}
