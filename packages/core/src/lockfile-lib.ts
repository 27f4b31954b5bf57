// proper-lockfile as lock.ts loads it, on a vault write. The build (scripts/bundle.mjs) makes this file a CommonJS
// bundle of its own, bundle/lockfile.cjs: required as one file it costs ~11 ms of CPU, where Node's import() of the
// package and its dependencies from node_modules cost ~27 ms (docs/benchmarks.md, "Start-up, round 5").
export { default } from 'proper-lockfile';
