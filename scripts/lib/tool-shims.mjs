// pyenv (and tools like it) put a shell-script "shim" for every Python program on PATH; each call of a shim runs
// bash and pyenv before the program itself. Measured here: `aws --version` 0.77-1.04 s through the shim, 0.47-0.72 s
// run directly. The tests call the AWS CLI hundreds of times and the benchmark compares vault with it, so both put
// the real directories first on PATH. Nothing changes where the tools are not shims.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

function onPath(name, path) {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

function isPyenvShim(file) {
  try {
    return /pyenv"? exec /.test(readFileSync(file, 'utf8').slice(0, 2048));
  } catch {
    return false;
  }
}

/** `path` with the real directories of `tools` in front where PATH finds them through pyenv shims. */
export function pathPastShims(path = process.env.PATH ?? '', tools = ['aws', 'python3']) {
  const direct = [];
  for (const tool of tools) {
    const found = onPath(tool, path);
    if (found === undefined || !isPyenvShim(found)) continue;
    try {
      const real = execFileSync('pyenv', ['which', tool], { encoding: 'utf8', env: { ...process.env, PATH: path } }).trim();
      if (real !== '') direct.push(dirname(real));
    } catch {
      // pyenv cannot say: keep the shim, which still works, only slower.
    }
  }
  return [...new Set(direct), path].join(delimiter);
}
