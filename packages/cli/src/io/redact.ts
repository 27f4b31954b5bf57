/** Masks registered secrets in diagnostic text, so --debug can be pasted into an issue safely. */
export interface Redactor {
  add(secret: string | undefined): void;
  redact(text: string): string;
}

const MASK = '****';

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    add(secret) {
      // Very short values would mask ordinary words; real secrets are long.
      if (secret && secret.length >= 8) secrets.add(secret);
    },
    redact(text) {
      let out = text;
      for (const s of secrets) out = out.split(s).join(MASK);
      return out;
    },
  };
}
