// libsodium as sodium.ts loads it, on first use. The build (scripts/bundle.mjs) makes this file a CommonJS bundle of
// its own, bundle/sodium.cjs, which the CLI compiles with V8's code cache: compiling libsodium's 1.2 MB of
// JavaScript is most of what loading it costs (docs/benchmarks.md, "libsodium from the code cache").
export { default } from 'libsodium-wrappers-sumo';
