import { busyStretches, categoryOf, CpuProfile, shortPath, summariseCpuProfile } from '../../../bench/support/cpu-profile';

describe('cpu profile summary', () => {
  const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 10_000,
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('parseTwilioFrame', 'file:///app/dist/telephony/media-stream-frame.js') },
      { id: 4, callFrame: frame('send', 'file:///app/node_modules/ws/lib/sender.js') },
      { id: 5, callFrame: frame('writev') },
    ],
    // Each sample owns the time until the next one.
    samples: [2, 3, 4, 5, 3, 2],
    timeDeltas: [0, 4000, 1000, 2000, 1000, 2000],
  };

  it('attributes self time per function and per package, leaving idle out of the busy time', () => {
    const summary = summariseCpuProfile(profile);
    expect(summary.totalMs).toBe(10);
    expect(summary.busyMs).toBe(6);
    expect(summary.topFunctions[0]).toMatchObject({
      name: 'parseTwilioFrame dist/telephony/media-stream-frame.js:1',
      selfMs: 3,
      percent: 50,
    });
    expect(summary.byCategory.map((entry) => entry.name)).toEqual(['ours: telephony/media-stream-frame.js', 'ws', '(native)']);
  });

  it('shortens paths to the package or our dist file', () => {
    expect(shortPath('file:///app/node_modules/@nestjs/platform-ws/dist/adapters/ws-adapter.js')).toBe(
      'node_modules/@nestjs/platform-ws/dist/adapters/ws-adapter.js',
    );
    expect(shortPath('file:///app/dist/sessions/call-session.js')).toBe('dist/sessions/call-session.js');
    expect(shortPath('')).toBe('');
  });

  it('finds stretches without an idle sample and names what was on the stack', () => {
    const stall: CpuProfile = {
      startTime: 0,
      endTime: 100_000,
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('flushRound', 'file:///app/dist/sessions/call-journal/call-journal.service.js'), children: [4] },
        { id: 4, callFrame: frame('query', 'file:///app/node_modules/pg/lib/client.js') },
      ],
      samples: [2, 3, 4, 4, 3, 2, 3, 2],
      timeDeltas: [0, 1000, 10_000, 10_000, 10_000, 10_000, 1000, 5000],
    };
    const stretches = busyStretches(stall, 20);
    expect(stretches).toHaveLength(1);
    expect(stretches[0]).toMatchObject({ startMs: 1, durationMs: 40 });
    expect(stretches[0].onStack[0]).toEqual({ name: 'flushRound dist/sessions/call-journal/call-journal.service.js:1', percent: 100 });
    expect(stretches[0].onStack[1]).toEqual({ name: 'query node_modules/pg/lib/client.js:1', percent: 50 });
  });

  it('names where code lives', () => {
    expect(categoryOf(frame('x', 'node:internal/streams/writable'))).toBe('node internals');
    expect(categoryOf(frame('x', 'file:///app/node_modules/@nestjs/core/index.js'))).toBe('@nestjs/core');
    expect(categoryOf(frame('(garbage collector)'))).toBe('(garbage collector)');
    expect(categoryOf(frame('x', 'file:///app/node_modules/@nestjs/platform-ws/node_modules/ws/lib/receiver.js'))).toBe(
      'ws (under @nestjs/platform-ws)',
    );
  });
});
