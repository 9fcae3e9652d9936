import { storableEvent } from '../../../src/call-journal/journaled-event';

describe('storableEvent', () => {
  it('keeps the event shape and short words as they are, redacting what no store should hold', () => {
    const stored = storableEvent({
      type: 'caller.said',
      at: '2026-11-30T10:00:00.000Z',
      text: 'Order ORD-12345, card 4111 1111 1111 1111, mail jane@example.com',
    });
    expect(stored).toEqual({ type: 'caller.said', at: '2026-11-30T10:00:00.000Z', text: 'Order ORD-12345, card [card], mail [email]' });
  });

  it('cuts a huge tool argument to the limits and says how big it was', () => {
    const note = 'x'.repeat(100_000);
    const stored = storableEvent({
      type: 'tool.called',
      at: '2026-11-30T10:00:00.000Z',
      department: 'triage',
      toolCallId: 'c1',
      name: 'lookup_order',
      arguments: { order_id: 'ORD-12345', note },
    });
    expect(JSON.stringify(stored).length).toBeLessThan(17_000);
    expect(stored).toMatchObject({
      type: 'tool.called',
      toolCallId: 'c1',
      name: 'lookup_order',
      arguments: { order_id: 'ORD-12345' },
      truncated: { originalChars: expect.any(Number) },
    });
    expect(stored.truncated!.originalChars).toBeGreaterThan(100_000);
  });

  it('removes what Postgres refuses (NUL, lone surrogates) and keeps everything else', () => {
    const stored = storableEvent({
      type: 'agent.said',
      at: '2026-11-30T10:00:00.000Z',
      department: 'faq',
      text: 'ok\u0000 \uD800 café 👍',
      interrupted: false,
    });
    expect(stored).toEqual({
      type: 'agent.said',
      at: '2026-11-30T10:00:00.000Z',
      department: 'faq',
      text: 'ok \uFFFD café 👍',
      interrupted: false,
    });
    expect(stored.truncated).toBeUndefined();
  });
});
