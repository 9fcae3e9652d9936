/**
 * The tool-call timing rules of PROTOCOL.md as a pure state machine. One ledger per call.
 *
 * - A call is recorded when tool.call arrives (backend work starts at once elsewhere).
 * - At the next reply.done (not interrupted) every settled call is flushed; calls still
 *   running are flushed the moment they settle, because the boundary has passed.
 * - reply.done interrupted, or input.speech.started, drops everything pending.
 * - Transfers ride the same boundary: the session applies them before sending results.
 */

export type PendingKind = 'backend' | 'transfer' | 'human-transfer' | 'rejected';

export interface PendingCall {
  toolCallId: string;
  name: string;
  kind: PendingKind;
  /** JSON-encoded result once settled; human transfers never get one. */
  result?: string;
  settled: boolean;
  /** reply.done passed while the call was still running: send as soon as it settles. */
  boundaryPassed: boolean;
}

export interface ToolCallLedger {
  pending: readonly PendingCall[];
}

export const emptyLedger = (): ToolCallLedger => ({ pending: [] });

export interface LedgerStep {
  ledger: ToolCallLedger;
  /** Settled calls to deliver now, in arrival order. */
  flush: PendingCall[];
  /** Calls abandoned because the caller moved on. */
  dropped: PendingCall[];
}

const step = (pending: PendingCall[], flush: PendingCall[] = [], dropped: PendingCall[] = []): LedgerStep => ({
  ledger: { pending },
  flush,
  dropped,
});

export function recordCall(
  ledger: ToolCallLedger,
  call: { toolCallId: string; name: string; kind: PendingKind; result?: string },
): LedgerStep {
  const settled = call.kind === 'transfer' || call.kind === 'human-transfer' || call.result !== undefined;
  return step([...ledger.pending, { ...call, settled, boundaryPassed: false }]);
}

export function settleCall(ledger: ToolCallLedger, toolCallId: string, result: string): LedgerStep {
  const call = ledger.pending.find((entry) => entry.toolCallId === toolCallId);
  // Dropped meanwhile (interruption): the late result goes nowhere.
  if (!call) return step([...ledger.pending]);
  const settledCall: PendingCall = { ...call, result, settled: true };
  if (call.boundaryPassed) {
    return step(
      ledger.pending.filter((entry) => entry !== call),
      [settledCall],
    );
  }
  return step(ledger.pending.map((entry) => (entry === call ? settledCall : entry)));
}

export function replyDone(ledger: ToolCallLedger, interrupted: boolean): LedgerStep {
  if (interrupted) return callerMovedOn(ledger);
  const flush = ledger.pending.filter((entry) => entry.settled);
  const stillRunning = ledger.pending.filter((entry) => !entry.settled).map((entry) => ({ ...entry, boundaryPassed: true }));
  return step(stillRunning, flush);
}

export function callerMovedOn(ledger: ToolCallLedger): LedgerStep {
  return step([], [], [...ledger.pending]);
}

export function hasPendingTransfer(ledger: ToolCallLedger): boolean {
  return ledger.pending.some((entry) => entry.kind === 'transfer' || entry.kind === 'human-transfer');
}
