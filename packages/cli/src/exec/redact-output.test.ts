import fc from 'fast-check';
import { Readable } from 'node:stream';
import { outputRedactor, redactingStream } from './redact-output.js';

const KEY = 'ASIAEXAMPLE000000001';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = `FwoGZXIvYXdzE${'x'.repeat(300)}END`;

function redactAll(chunks: string[], secrets = [KEY, SECRET, TOKEN]): string {
  const r = outputRedactor(secrets);
  const out = chunks.map((c) => r.push(Buffer.from(c)).toString());
  return out.join('') + r.end().toString();
}

describe('outputRedactor', () => {
  it('replaces each credential, wherever it is', () => {
    expect(redactAll([`id=${KEY}\nsecret=${SECRET} token=${TOKEN}!`])).toBe('id=<REDACTED>\nsecret=<REDACTED> token=<REDACTED>!');
  });

  it('finds a secret split across chunks, holding back only what could start one', () => {
    const r = outputRedactor([SECRET]);
    expect(r.push(Buffer.from(`Enter a value: ${SECRET.slice(0, 10)}`)).toString()).toBe('Enter a value: ');
    expect(r.push(Buffer.from(`${SECRET.slice(10)} done`)).toString()).toBe('<REDACTED> done');
    expect(r.end().toString()).toBe('');
  });

  it('shows a prompt at once when its end cannot start a secret', () => {
    const r = outputRedactor([SECRET]);
    expect(r.push(Buffer.from('Password: ')).toString()).toBe('Password: ');
  });

  it('gives back what it held when the stream ends without completing a secret', () => {
    const r = outputRedactor([SECRET]);
    expect(r.push(Buffer.from('abc wJal')).toString()).toBe('abc ');
    expect(r.end().toString()).toBe('wJal');
  });

  it('never lets a secret through, however the output is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('x', ' ', '\n', KEY, SECRET, TOKEN, SECRET.slice(0, 7)), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (parts, cuts) => {
        const text = parts.join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [...points, text.length].map((end, i, all) => text.slice(i === 0 ? 0 : all[i - 1], end));
        const out = redactAll(chunks);
        for (const secret of [KEY, SECRET, TOKEN]) expect(out).not.toContain(secret);
        expect(out).toBe(redactAll([text]));
      }),
      { numRuns: 500 },
    );
  });
});

describe('redactingStream', () => {
  it('redacts a stream end to end', async () => {
    const chunks: Buffer[] = [];
    const stream = Readable.from([Buffer.from(`a ${SECRET.slice(0, 20)}`), Buffer.from(`${SECRET.slice(20)} b`)]).pipe(redactingStream([SECRET]));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('a <REDACTED> b');
  });
});
