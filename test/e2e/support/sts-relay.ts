// "STS goes away" for a test: vault keys cached sessions by the STS endpoint they came from (a session from one
// endpoint is never served for another), so a test cannot switch to a dead address to take STS away. It talks to
// moto through this relay instead, and closes the relay: the same address then has nothing listening.
import { createConnection, createServer, type Socket } from 'node:net';

export interface StsRelay {
  url: string;
  /** Stops listening and cuts every open connection; the URL then refuses connections. */
  close(): Promise<void>;
}

export async function stsRelay(targetUrl: string): Promise<StsRelay> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the STS relay got no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
