import {
  callerMovedOn,
  emptyLedger,
  hasPendingTransfer,
  recordCall,
  replyDone,
  settleCall,
  ToolCallLedger,
} from '../../../src/sessions/tool-call-ledger';

describe('tool-call ledger (PROTOCOL.md timing rules)', () => {
  const backend = (ledger: ToolCallLedger, toolCallId: string) =>
    recordCall(ledger, { toolCallId, name: 'lookup_order', kind: 'backend' }).ledger;

  it('holds a settled result until the next reply.done, then flushes it', () => {
    let ledger = backend(emptyLedger(), 'c1');
    const settled = settleCall(ledger, 'c1', '{"ok":true}');
    expect(settled.flush).toEqual([]);
    ledger = settled.ledger;
    const done = replyDone(ledger, false);
    expect(done.flush.map((call) => [call.toolCallId, call.result])).toEqual([['c1', '{"ok":true}']]);
    expect(done.ledger.pending).toEqual([]);
  });

  it('sends a result the moment it settles when reply.done already passed', () => {
    const afterBoundary = replyDone(backend(emptyLedger(), 'slow'), false);
    expect(afterBoundary.flush).toEqual([]);
    expect(afterBoundary.ledger.pending[0].boundaryPassed).toBe(true);
    const settled = settleCall(afterBoundary.ledger, 'slow', '{"late":1}');
    expect(settled.flush.map((call) => call.toolCallId)).toEqual(['slow']);
    expect(settled.ledger.pending).toEqual([]);
  });

  it('drops everything pending on an interrupted reply.done', () => {
    const ledger = settleCall(backend(backend(emptyLedger(), 'a'), 'b'), 'a', '{}').ledger;
    const done = replyDone(ledger, true);
    expect(done.flush).toEqual([]);
    expect(done.dropped.map((call) => call.toolCallId)).toEqual(['a', 'b']);
    expect(done.ledger.pending).toEqual([]);
  });

  it('drops everything pending when the caller starts speaking, and ignores the late result', () => {
    const moved = callerMovedOn(backend(emptyLedger(), 'a'));
    expect(moved.dropped.map((call) => call.toolCallId)).toEqual(['a']);
    const late = settleCall(moved.ledger, 'a', '{}');
    expect(late.flush).toEqual([]);
    expect(late.ledger.pending).toEqual([]);
  });

  it('keeps arrival order when flushing several results', () => {
    let ledger = backend(backend(emptyLedger(), 'first'), 'second');
    ledger = settleCall(ledger, 'second', '2').ledger;
    ledger = settleCall(ledger, 'first', '1').ledger;
    expect(replyDone(ledger, false).flush.map((call) => call.toolCallId)).toEqual(['first', 'second']);
  });

  it('treats transfers as settled at once and reports them as pending transfers', () => {
    const ledger = recordCall(emptyLedger(), { toolCallId: 't', name: 'transfer_to_billing', kind: 'transfer' }).ledger;
    expect(hasPendingTransfer(ledger)).toBe(true);
    expect(replyDone(ledger, false).flush.map((call) => call.kind)).toEqual(['transfer']);
  });

  it('records rejected calls with their error result ready to flush', () => {
    const ledger = recordCall(emptyLedger(), {
      toolCallId: 'x',
      name: 'nope',
      kind: 'rejected',
      result: '{"error":"unknown_tool"}',
    }).ledger;
    expect(replyDone(ledger, false).flush[0].result).toBe('{"error":"unknown_tool"}');
  });
});
