import { readFileSync } from 'node:fs';

/**
 * Whether process `pid` is in the foreground process group of its controlling terminal (Linux, from /proc; false
 * where that cannot be read, or once the process is gone). A Ctrl-C or Ctrl-\ typed at the terminal has then been
 * sent to it by the kernel, so vault must not send it a second one: a second SIGINT makes some programs (terraform)
 * give up at once. A child that moved to a group of its own (timeout, setsid) got nothing from the terminal and
 * needs vault's. `stat` is injectable for tests.
 */
export function inForegroundGroup(pid: number, stat: () => string = () => readFileSync(`/proc/${pid}/stat`, 'latin1')): boolean {
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
