import { commandOf, parseCommandEnvelope, parseReplyEnvelope } from '../../../src/supervision/supervision-envelope';

const by = { role: 'supervisor', name: 'Dana' };

describe('supervision envelopes (commands between instances over Redis)', () => {
  it('reads every command kind as sent', () => {
    const commands = [
      { kind: 'whisper', text: 'Offer the credit', by },
      { kind: 'withdraw-whisper', noteId: 'n1', by },
      { kind: 'takeover', to: 'human', by },
      { kind: 'end', mode: 'polite', by },
      { kind: 'listen', listenerId: 'l1', by, leaseMs: 6000 },
      { kind: 'stop-listening', listenerId: 'l1', by },
      { kind: 'status' },
    ];
    for (const command of commands) {
      const envelope = { requestId: 'r1', replyTo: 'replies:1', callSid: 'CA1', command };
      expect(parseCommandEnvelope(JSON.stringify(envelope))).toEqual(envelope);
    }
  });

  it.each([
    ['not JSON', '{'],
    ['no request id', JSON.stringify({ replyTo: 'x', callSid: 'CA1', command: { kind: 'status' } })],
    ['an unknown kind', JSON.stringify({ requestId: 'r', replyTo: 'x', callSid: 'CA1', command: { kind: 'reboot', by } })],
    [
      'a whisper without text',
      JSON.stringify({ requestId: 'r', replyTo: 'x', callSid: 'CA1', command: { kind: 'whisper', text: '', by } }),
    ],
    [
      'an end of another mode',
      JSON.stringify({ requestId: 'r', replyTo: 'x', callSid: 'CA1', command: { kind: 'end', mode: 'rude', by } }),
    ],
    [
      'a role no token has',
      JSON.stringify({
        requestId: 'r',
        replyTo: 'x',
        callSid: 'CA1',
        command: { kind: 'end', mode: 'now', by: { role: 'root', name: 'x' } },
      }),
    ],
    [
      'a listen without a lease',
      JSON.stringify({ requestId: 'r', replyTo: 'x', callSid: 'CA1', command: { kind: 'listen', listenerId: 'l', by } }),
    ],
  ])('ignores %s', (_what, message) => {
    expect(parseCommandEnvelope(message)).toBeUndefined();
  });

  it('keeps only the fields of a command, whatever else came with it', () => {
    expect(commandOf({ kind: 'takeover', to: 'billing', by: { ...by, extra: 1 }, sneaky: true })).toEqual({
      kind: 'takeover',
      to: 'billing',
      by,
    });
  });

  it('reads answers, and ignores malformed ones', () => {
    const ok = { requestId: 'r1', outcome: { ok: true, value: { status: 'applied' } } };
    const refusal = { requestId: 'r1', outcome: { ok: false, status: 409, code: 'call_ended', message: 'ended' } };
    expect(parseReplyEnvelope(JSON.stringify(ok))).toEqual(ok);
    expect(parseReplyEnvelope(JSON.stringify(refusal))).toEqual(refusal);
    expect(parseReplyEnvelope(JSON.stringify({ requestId: 'r1', outcome: { ok: 'yes' } }))).toBeUndefined();
    expect(parseReplyEnvelope('nope')).toBeUndefined();
  });
});
