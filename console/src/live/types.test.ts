import { LiveCallView, liveCallsSnapshotOf } from './types';

const FULL_CALL: LiveCallView = {
  callSid: 'CA1',
  fromMasked: '+1555***4567',
  startedAt: '2025-11-17T09:30:00.000Z',
  instanceId: 'instance-a',
  lastHeartbeatAt: '2025-11-17T09:31:00.000Z',
  department: 'billing',
  lastSaid: { speaker: 'agent', text: 'Let me check that.', at: '2025-11-17T09:30:55.000Z' },
  pending: { tools: ['lookup_invoice'], handoffTo: 'refund' },
  turns: 4,
  lastResponseLatencyMs: 850,
};

const snapshot = (calls: unknown[], at: unknown = '2025-11-17T09:31:05.000Z') => JSON.stringify({ calls, at });

describe('liveCallsSnapshotOf', () => {
  it('reads a full snapshot as it came', () => {
    expect(liveCallsSnapshotOf(snapshot([FULL_CALL]))).toEqual({ at: '2025-11-17T09:31:05.000Z', calls: [FULL_CALL] });
  });

  it('reads an empty list of calls', () => {
    expect(liveCallsSnapshotOf(snapshot([]))).toEqual({ at: '2025-11-17T09:31:05.000Z', calls: [] });
  });

  it.each([
    ['not JSON', '{"calls": ['],
    ['empty', ''],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"calls"'],
    ['an array', '[{"calls": []}]'],
    ['an object without calls', '{"at": "2025-11-17T09:31:05.000Z"}'],
    ['an object whose calls is not a list', '{"calls": {"CA1": {}}}'],
  ])('is undefined for data that is %s', (_what, data) => {
    expect(liveCallsSnapshotOf(data)).toBeUndefined();
  });

  it("uses this browser's clock when the snapshot has no time", () => {
    const before = Date.now();
    const read = liveCallsSnapshotOf(JSON.stringify({ calls: [] }));
    const at = Date.parse(read?.at ?? '');
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(liveCallsSnapshotOf(snapshot([], 12345))?.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('drops rows without a call sid or a start time, keeping the others in order', () => {
    const rows = [
      { ...FULL_CALL, callSid: 'CA1' },
      { ...FULL_CALL, callSid: undefined },
      { ...FULL_CALL, callSid: 7 },
      { ...FULL_CALL, callSid: 'CA4', startedAt: null },
      null,
      'CA5',
      [FULL_CALL],
      { ...FULL_CALL, callSid: 'CA8' },
    ];
    expect(liveCallsSnapshotOf(snapshot(rows))?.calls.map((call) => call.callSid)).toEqual(['CA1', 'CA8']);
  });

  it("fills what an older server's row lacks", () => {
    const read = liveCallsSnapshotOf(snapshot([{ callSid: 'CA1', startedAt: '2025-11-17T09:30:00.000Z' }]));
    expect(read?.calls).toEqual([
      {
        callSid: 'CA1',
        fromMasked: '',
        startedAt: '2025-11-17T09:30:00.000Z',
        instanceId: '',
        lastHeartbeatAt: '2025-11-17T09:30:00.000Z',
        lastSaid: null,
        pending: { tools: [], handoffTo: null },
        turns: 0,
        lastResponseLatencyMs: null,
      },
    ]);
    expect(read?.calls[0]).not.toHaveProperty('department');
  });

  it('replaces fields of the wrong type with their defaults', () => {
    const read = liveCallsSnapshotOf(
      snapshot([
        {
          callSid: 'CA1',
          startedAt: '2025-11-17T09:30:00.000Z',
          fromMasked: 5551234,
          instanceId: { id: 'a' },
          lastHeartbeatAt: 0,
          department: 3,
          lastSaid: 'hello',
          pending: ['lookup_invoice'],
          turns: '4',
          lastResponseLatencyMs: '850',
        },
      ]),
    );
    expect(read?.calls[0]).toEqual({
      callSid: 'CA1',
      fromMasked: '',
      startedAt: '2025-11-17T09:30:00.000Z',
      instanceId: '',
      lastHeartbeatAt: '2025-11-17T09:30:00.000Z',
      lastSaid: null,
      pending: { tools: [], handoffTo: null },
      turns: 0,
      lastResponseLatencyMs: null,
    });
  });

  it('keeps a zero latency and zero turns (not taken for missing)', () => {
    const read = liveCallsSnapshotOf(snapshot([{ ...FULL_CALL, turns: 0, lastResponseLatencyMs: 0 }]));
    expect(read?.calls[0]).toMatchObject({ turns: 0, lastResponseLatencyMs: 0 });
  });

  it.each([
    ['an unknown speaker', { speaker: 'system', text: 'hi', at: '2025-11-17T09:30:55.000Z' }],
    ['no speaker', { text: 'hi', at: '2025-11-17T09:30:55.000Z' }],
    ['text that is not a string', { speaker: 'caller', text: 42, at: '2025-11-17T09:30:55.000Z' }],
    ['null', null],
    ['a list', [{ speaker: 'caller', text: 'hi' }]],
  ])('has no last words when lastSaid has %s', (_what, lastSaid) => {
    expect(liveCallsSnapshotOf(snapshot([{ ...FULL_CALL, lastSaid }]))?.calls[0].lastSaid).toBeNull();
  });

  it('keeps last words whose time is missing, with an empty time', () => {
    const read = liveCallsSnapshotOf(snapshot([{ ...FULL_CALL, lastSaid: { speaker: 'caller', text: 'My bill is wrong' } }]));
    expect(read?.calls[0].lastSaid).toEqual({ speaker: 'caller', text: 'My bill is wrong', at: '' });
  });

  it('keeps only the tool names that are strings, and a handoff target only when it is one', () => {
    const read = liveCallsSnapshotOf(snapshot([{ ...FULL_CALL, pending: { tools: ['a', 1, null, 'b', { name: 'c' }], handoffTo: 5 } }]));
    expect(read?.calls[0].pending).toEqual({ tools: ['a', 'b'], handoffTo: null });
  });

  it('leaves out fields it does not know', () => {
    const read = liveCallsSnapshotOf(snapshot([{ ...FULL_CALL, secret: 'x', lastSaid: { ...FULL_CALL.lastSaid, extra: 1 } }]));
    expect(read?.calls[0]).toEqual(FULL_CALL);
  });
});
