// The AWS SDK's own warning, kept off vault's stderr for every client vault loads (STS, IAM).

const patched = new WeakSet<object>();

/**
 * The SDK warns through process.emitWarning on every Node older than its next supported major; vault's stderr must
 * carry only vault's own messages, so exactly that warning is dropped and every other one passes through.
 */
export function suppressSdkVersionWarning(target: Pick<NodeJS.Process, 'emitWarning'>): void {
  if (patched.has(target)) return;
  patched.add(target);
  const original = target.emitWarning as (...args: unknown[]) => void;
  target.emitWarning = function (this: unknown, ...args: unknown[]) {
    if (isSdkVersionWarning(args)) return;
    original.apply(this, args);
  } as NodeJS.Process['emitWarning'];
}

function isSdkVersionWarning([warning, typeOrOptions]: unknown[]): boolean {
  const name = 'NodeVersionSupportWarning';
  const text = typeof warning === 'string' ? warning : warning instanceof Error ? `${warning.name}: ${warning.message}` : '';
  const type =
    typeof typeOrOptions === 'string' ? typeOrOptions : (typeOrOptions as { type?: unknown } | undefined)?.type;
  return text.startsWith(name) || text.includes(`: ${name}:`) || type === name;
}
