import { CallEvent, Supervisor } from '../../../src/call-journal/call-event.types';
import { supervisionOf } from '../../../src/summaries/supervision-summary.rules';

const DANA: Supervisor = { role: 'supervisor', name: 'Dana' };
const SAM: Supervisor = { role: 'admin', name: 'Sam' };
const at = (second: number) => `2026-11-30T10:00:${String(second).padStart(2, '0')}.000Z`;

describe('supervisionOf: what supervisors did on a call, for its summary', () => {
  it('is absent when nobody supervised the call', () => {
    expect(supervisionOf([{ type: 'caller.said', text: 'hi', at: at(1) }])).toBeUndefined();
  });

  it('lists listeners, whispers with their withdrawal, the takeover and the end', () => {
    const events: CallEvent[] = [
      { type: 'supervision.listen', by: DANA, listenerId: 'l1', state: 'started', at: at(1) },
      { type: 'supervision.listen', by: SAM, listenerId: 'l2', state: 'started', at: at(2) },
      { type: 'supervision.whisper', by: DANA, noteId: 'n1', text: 'Offer the credit', at: at(3) },
      { type: 'supervision.notes.applied', department: 'triage', noteIds: ['n1'], at: at(4) },
      { type: 'supervision.whisper', by: SAM, noteId: 'n2', text: 'Be brief', at: at(5) },
      { type: 'supervision.whisper.withdrawn', by: DANA, noteId: 'n1', at: at(6) },
      { type: 'supervision.listen', by: DANA, listenerId: 'l1', state: 'stopped', at: at(7) },
      { type: 'supervision.takeover', by: SAM, to: 'billing', at: at(8) },
      { type: 'supervision.end', by: SAM, mode: 'polite', at: at(9) },
    ];
    expect(supervisionOf(events)).toEqual({
      listeners: [
        { listenerId: 'l1', by: DANA, startedAt: at(1), stoppedAt: at(7) },
        { listenerId: 'l2', by: SAM, startedAt: at(2), stoppedAt: null },
      ],
      whispers: [
        { noteId: 'n1', text: 'Offer the credit', by: DANA, at: at(3), withdrawnAt: at(6) },
        { noteId: 'n2', text: 'Be brief', by: SAM, at: at(5), withdrawnAt: null },
      ],
      takeover: { by: SAM, to: 'billing', at: at(8) },
      ended: { by: SAM, mode: 'polite', at: at(9) },
    });
  });

  it('keeps the first start and the first stop of a listener, whatever repeats', () => {
    const events: CallEvent[] = [
      { type: 'supervision.listen', by: DANA, listenerId: 'l1', state: 'stopped', at: at(1) },
      { type: 'supervision.listen', by: DANA, listenerId: 'l1', state: 'started', at: at(2) },
      { type: 'supervision.listen', by: DANA, listenerId: 'l1', state: 'started', at: at(3) },
      { type: 'supervision.listen', by: DANA, listenerId: 'l1', state: 'stopped', at: at(4) },
      { type: 'supervision.listen', by: DANA, listenerId: 'l1', state: 'stopped', at: at(5) },
    ];
    expect(supervisionOf(events)?.listeners).toEqual([{ listenerId: 'l1', by: DANA, startedAt: at(2), stoppedAt: at(4) }]);
  });
});
