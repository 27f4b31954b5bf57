// libsodium (WASM) costs tens of milliseconds to load, so it is loaded on first use only: `import '@vault/core'`
// must stay cheap for commands that never touch the vault.
type Sodium = typeof import('./sodium-lib.js').default;

let loading: Promise<Sodium> | undefined;
let loaded: Sodium | undefined;

export function loadSodium(): Promise<Sodium> {
  loading ??= import('./sodium-lib.js').then(async (mod) => {
    await mod.default.ready;
    loaded = mod.default;
    return mod.default;
  });
  return loading;
}

/** The library if something already loaded it; lets synchronous code wipe with `memzero` without loading it. */
export function sodiumIfLoaded(): Sodium | undefined {
  return loaded;
}

export type { Sodium };
