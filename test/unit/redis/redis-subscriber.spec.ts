import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { AppConfig } from '../../../src/config/app-config';
import { RedisConnectionFactory } from '../../../src/redis/redis-connection.factory';

/** A pub/sub connection as far as createSubscriber uses it: its events and subscribe. */
class FakeConnection extends EventEmitter {
  readonly subscribeCalls: string[][] = [];
  failNextSubscribe = false;
  subscribe(...channels: string[]): Promise<number> {
    this.subscribeCalls.push(channels);
    if (this.failNextSubscribe) {
      this.failNextSubscribe = false;
      return Promise.reject(new Error('Connection is closed.'));
    }
    return Promise.resolve(channels.length);
  }
}

function subscriberOn(channels: () => string[], onResubscribed?: () => void) {
  const factory = new RedisConnectionFactory({} as AppConfig);
  const connection = new FakeConnection();
  const create = jest.spyOn(factory, 'create').mockReturnValue(connection as unknown as Redis);
  factory.createSubscriber('test-subscriber', channels, onResubscribed);
  return { connection, create };
}

describe('RedisConnectionFactory.createSubscriber', () => {
  it('turns ioredis resubscribing off and subscribes again itself, to the channels wanted now, on each reconnect', () => {
    let wanted = ['a'];
    const onResubscribed = jest.fn();
    const { connection, create } = subscriberOn(() => wanted, onResubscribed);
    expect(create).toHaveBeenCalledWith('test-subscriber', { autoResubscribe: false });

    connection.emit('ready');
    expect(connection.subscribeCalls).toEqual([]);
    expect(onResubscribed).not.toHaveBeenCalled();

    wanted = ['a', 'b'];
    connection.emit('ready');
    expect(connection.subscribeCalls).toEqual([['a', 'b']]);
    expect(onResubscribed).toHaveBeenCalledTimes(1);
  });

  it('subscribes to nothing when nothing is wanted, and a failed resubscribe is logged, not thrown', async () => {
    let wanted: string[] = [];
    const { connection } = subscriberOn(() => wanted);
    connection.emit('ready');
    connection.emit('ready');
    expect(connection.subscribeCalls).toEqual([]);
    wanted = ['a'];
    connection.failNextSubscribe = true;
    connection.emit('ready');
    await new Promise((resolve) => setImmediate(resolve));
    expect(connection.subscribeCalls).toEqual([['a']]);
  });
});
