import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { RedisBlipProxy } from '../../../bench/support/redis-blip-proxy';

/** An echo server on 127.0.0.1 stands in for Redis. */
describe('Redis blip proxy', () => {
  let echo: Server;
  let proxy: RedisBlipProxy;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    proxy = new RedisBlipProxy(`redis://127.0.0.1:${(echo.address() as AddressInfo).port}/2`);
    await proxy.start();
  });

  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await proxy.stop();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const port = Number(new URL(proxy.url).port);
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
      sockets.push(socket);
    });

  const roundTrip = (socket: Socket, text: string): Promise<string> =>
    new Promise((resolve) => {
      socket.once('data', (data) => resolve(data.toString()));
      socket.write(text);
    });

  it('points a Redis URL at itself, keeping the database', () => {
    expect(proxy.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/2$/);
  });

  it('drops every connection, refuses new ones while it lasts, then accepts again on the same port', async () => {
    const before = await open();
    expect(await roundTrip(before, 'PING')).toBe('PING');
    const closed = new Promise<void>((resolve) => before.once('close', () => resolve()));
    const blip = proxy.blip(0.3);
    await closed;
    await expect(open()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const record = await blip;
    expect(record.connectionsDropped).toBe(1);
    expect(record.endedAt! - record.startedAt).toBeGreaterThanOrEqual(290);
    const after = await open();
    expect(await roundTrip(after, 'PING')).toBe('PING');
    expect(proxy.firstConnectionAfter(record.endedAt!)).not.toBeNull();
    expect(proxy.connectionsAccepted).toBe(2);
  });
});
