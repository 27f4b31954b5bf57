import { cleanEnv } from './clean-env.mjs';
import { expectSuccess } from './expect-error.js';
import { run } from './process.js';

/** What V8 says of one file in bundle/ and the cache the build wrote for it. */
export interface CacheProbe {
  /** V8 refused the cache (another Node version or other flags), so the file compiles as without one. */
  rejected: boolean;
  /** Size of the build's cache. */
  trained: number;
  /** Size of a cache made from compiling the file alone, without running it. */
  bare: number;
}

/**
 * Every cache in the bundle/ beside `bundleScript` (a bin/bundle-script.cjs), by the name of the file it caches, as
 * a Node process of its own finds them: V8 checks its version and flags against the cache's, and jest's workers run
 * with others.
 */
export async function probeCodeCaches(bundleScript: string, cwd?: string): Promise<Record<string, CacheProbe>> {
  const probe = `const b = require(${JSON.stringify(bundleScript)});
    const { readdirSync } = require('node:fs');
    const { dirname, join } = require('node:path');
    const dir = dirname(b.BUNDLE);
    const out = {};
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.cache')).map((n) => n.slice(0, -'.cache'.length))) {
      const file = join(dir, name);
      const cache = b.readCache(file);
      out[name] = { rejected: b.compileBundle(cache, file).cachedDataRejected, trained: cache.length, bare: b.compileBundle(undefined, file).createCachedData().length };
    }
    process.stdout.write(JSON.stringify(out));`;
  const result = await run(process.execPath, ['-e', probe], { env: cleanEnv(), cwd });
  expectSuccess(result);
  return JSON.parse(result.stdout) as Record<string, CacheProbe>;
}
