import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getProviderJson } from './provider-http';

const KEY = 'k3y-that-must-not-leak';

/** A server that answers every request with one fixed status and body. */
async function stub(
  status: number,
  body: string,
  contentType = 'application/json',
): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function request(base: string, signal = new AbortController().signal) {
  return getProviderJson({
    provider: 'testprov',
    url: new URL(`${base}/q?symbol=X&token=${KEY}`),
    signal,
    secrets: [KEY],
  });
}

describe('getProviderJson', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });

  it('returns the parsed JSON of a 2xx answer', async () => {
    const s = await stub(200, '{"c":1.5}');
    server = s.server;
    await expect(request(s.url)).resolves.toEqual({ c: 1.5 });
  });

  it.each([
    [429, 'rate_limited'],
    [401, 'auth'],
    [403, 'auth'],
    [500, 'http_error'],
    [404, 'http_error'],
  ])('classifies HTTP %i as %s, with the key redacted', async (status, type) => {
    const s = await stub(status, '{"error":"nope"}');
    server = s.server;
    const err = await request(s.url).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ProviderCallError', type, status });
    expect((err as Error).message).toContain('token=***');
    expect((err as Error).message).not.toContain(KEY);
  });

  it('classifies a 200 that is not JSON as bad_response', async () => {
    const s = await stub(200, '<html>maintenance</html>', 'text/html');
    server = s.server;
    await expect(request(s.url)).rejects.toMatchObject({
      type: 'bad_response',
      message: expect.not.stringContaining(KEY),
    });
  });

  it('classifies a refused connection as network, without the key', async () => {
    const s = await stub(200, '{}');
    await close(s.server); // the port is now closed
    const err = await request(s.url).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'network' });
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect((err as Error).message).not.toContain(KEY);
  });

  it('classifies an aborted call as timeout, keeping the abort reason if it is a provider error', async () => {
    server = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const controller = new AbortController();
    const p = request(`http://127.0.0.1:${port}`, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(p).rejects.toMatchObject({ type: 'timeout' });
  });
});
