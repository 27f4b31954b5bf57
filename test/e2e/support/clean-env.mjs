// Plain JavaScript so that jest's global setup (which runs outside ts-jest) can use it too; clean-env.d.mts types it.

/**
 * The test process's environment without anything that could leak into the CLI: every AWS_* variable (a
 * developer's real profile or keys), NODE_OPTIONS (Jest's --experimental-vm-modules), npm's settings, and
 * XDG_RUNTIME_DIR (so a test's `vault unlock` keeps its agent socket in the sandbox's vault directory). Also
 * NODE_EXTRA_CA_CERTS: Node 20 reads and parses that file at every start (~38 ms of CPU for the 219 kB bundle of a
 * machine that sets it, in each of the suite's ~350 Node processes), and no test talks TLS.
 */
export function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key.startsWith('AWS_') || key === 'NODE_OPTIONS' || key === 'NODE_EXTRA_CA_CERTS' || key.startsWith('npm_') || key === 'TMUX' || key === 'TMUX_PANE' || key === 'XDG_RUNTIME_DIR') continue;
    env[key] = value;
  }
  return env;
}
