// Types for hot-path.mjs, so the TypeScript end-to-end tests can import it.
export declare const UNNEEDED_BUILTINS: readonly string[];
export declare function loadedModulesHook(out: string): string;
export declare function unneededBuiltins(moduleLoadList: readonly string[]): string[];
