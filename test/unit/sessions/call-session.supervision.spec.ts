import { Supervisor } from '../../../src/call-journal/call-event.types';
import { CallAudioTap } from '../../../src/sessions/call-supervision.ports';
import { harness, TWENTY_MS_OF_AUDIO } from './call-session.harness';
import { eventsOfType } from '../../support/call-events';

const DANA: Supervisor = { role: 'supervisor', name: 'Dana' };

const promptsSent = (call: ReturnType<typeof harness>) => call.connection.updates().map(({ update }) => update.system_prompt ?? '');

describe('CallSession supervision: whispers', () => {
  it('sends a note at once when no reply is under way, as an instructions-only session.update, and records it', () => {
    const call = harness();
    const note = call.session.whisper('Offer the 10% goodwill credit', DANA);

    const [update] = call.connection.updates();
    expect(Object.keys(update.update)).toEqual(['system_prompt']);
    expect(update.update.system_prompt).toContain('## Supervisor guidance');
    expect(update.update.system_prompt).toContain('- Offer the 10% goodwill credit');
    // The department's runbook is still there: the note is added to it, not put in its place.
    expect(update.update.system_prompt).toContain(call.opened().session.system_prompt.split('\n')[0]);
    expect(eventsOfType(call.events, 'supervision.whisper')).toEqual([
      expect.objectContaining({ by: DANA, noteId: note.noteId, text: 'Offer the 10% goodwill credit' }),
    ]);
    expect(eventsOfType(call.events, 'supervision.notes.applied')).toEqual([
      expect.objectContaining({ department: 'triage', noteIds: [note.noteId] }),
    ]);
    expect(call.session.supervisorNotes).toEqual([note]);
  });

  it('holds a note given mid-reply until the reply ends (the next reply boundary), then sends it once', () => {
    const call = harness();
    call.replyStarted();
    call.session.whisper('Ask for the order number again', DANA);
    call.session.whisper('Be brief', DANA);
    expect(call.connection.updates()).toHaveLength(0);
    expect(eventsOfType(call.events, 'supervision.notes.applied')).toHaveLength(0);

    call.replyDone();
    expect(promptsSent(call)).toHaveLength(1);
    expect(promptsSent(call)[0]).toContain('- Ask for the order number again\n- Be brief');
    expect(eventsOfType(call.events, 'supervision.notes.applied')[0].noteIds).toHaveLength(2);
  });

  it('keeps notes in the next department prompt after a handoff, and sends no second update for them', () => {
    const call = harness();
    call.session.whisper('Offer the 10% goodwill credit', DANA);
    call.replyStarted();
    call.toolCall('t1', 'transfer_to_refund', { reason: 'refund', summary: 'wants a refund' });
    call.replyDone();

    const prompts = promptsSent(call);
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain('Handed over by: Triage');
    expect(prompts[1]).toContain('- Offer the 10% goodwill credit');
  });

  it('withdraws a note: the next update leaves it out; an unknown note is refused', () => {
    const call = harness();
    const first = call.session.whisper('Offer the credit', DANA);
    call.session.whisper('Be brief', DANA);
    expect(call.session.withdrawWhisper(first.noteId, DANA)).toBe(true);
    expect(call.session.withdrawWhisper('no-such-note', DANA)).toBe(false);

    const last = promptsSent(call).at(-1)!;
    expect(last).not.toContain('Offer the credit');
    expect(last).toContain('- Be brief');
    expect(eventsOfType(call.events, 'supervision.whisper.withdrawn')).toEqual([
      expect.objectContaining({ noteId: first.noteId, by: DANA }),
    ]);
  });

  it('drops the guidance section once every note is withdrawn', () => {
    const call = harness();
    const note = call.session.whisper('Offer the credit', DANA);
    call.session.withdrawWhisper(note.noteId, DANA);
    expect(promptsSent(call).at(-1)).not.toContain('Supervisor guidance');
    expect(eventsOfType(call.events, 'supervision.notes.applied').at(-1)!.noteIds).toEqual([]);
  });

  it('keeps the caller history of the first department when its instructions are sent again', () => {
    const call = harness({ callerHistory: 'Called yesterday about ORD-1.' });
    call.session.whisper('Be brief', DANA);
    expect(promptsSent(call)[0]).toContain('Called yesterday about ORD-1.');
  });
});

describe('CallSession supervision: takeover', () => {
  it('moves the call to a person now, with "supervisor takeover" and a summary, and ends our leg', async () => {
    const call = harness();
    call.callerSays('my card ending 4242 4242 4242 4242 was charged twice');
    const result = await call.session.takeOver('human', DANA);

    expect(result).toEqual({ ok: true, to: 'human', status: 'transferred' });
    const [request] = call.leg.transferToHuman.mock.calls[0] as unknown as [{ reason: string; summary: string }];
    expect(request.reason).toBe('supervisor takeover');
    expect(request.summary).toContain('Supervisor Dana took the call over from the Triage agent.');
    expect(request.summary).not.toContain('4242 4242 4242 4242');
    expect(eventsOfType(call.events, 'supervision.takeover')).toEqual([expect.objectContaining({ by: DANA, to: 'human' })]);
    expect(eventsOfType(call.events, 'escalation')).toEqual([
      expect.objectContaining({ cause: 'supervisor-takeover', reason: 'supervisor takeover', transferred: true }),
    ]);
    expect(call.telemetry.escalations).toEqual([{ cause: 'supervisor-takeover', result: 'transferred' }]);
    await call.session.finished;
    expect(call.endings[0]).toEqual(expect.objectContaining({ reason: 'human-transfer', outcome: 'escalated' }));
  });

  it('says so when the transfer to a person cannot be placed, and the call stays with the agent', async () => {
    const call = harness({ transfer: { status: 'failed', detail: 'Twilio said no' } });
    const result = await call.session.takeOver('human', DANA);
    expect(result).toEqual({ ok: false, code: 'transfer_failed', message: 'Twilio said no' });
    expect(call.session.ended).toBe(false);
  });

  it('hands the call to a department at once between replies, and asks the new agent to speak', () => {
    const call = harness();
    const result = call.session.takeOver('billing', DANA);
    return result.then((outcome) => {
      expect(outcome).toEqual({ ok: true, to: 'billing', status: 'applied' });
      expect(call.session.department).toBe('billing');
      expect(call.handoffs).toEqual([
        expect.objectContaining({ fromAgent: 'triage', toAgent: 'billing', status: 'applied', reason: 'supervisor takeover' }),
      ]);
      expect(promptsSent(call)[0]).toContain('Reason: supervisor takeover');
      expect(call.connection.replyRequests).toEqual([expect.stringContaining('Billing agent')]);
    });
  });

  it('waits for the reply under way to end before handing over, and does not use up the model handoff checks', async () => {
    const call = harness({ maxHandoffs: 0 });
    call.replyStarted();
    expect(await call.session.takeOver('refund', DANA)).toEqual({ ok: true, to: 'refund', status: 'pending' });
    expect(call.session.department).toBe('triage');
    call.replyDone();
    expect(call.session.department).toBe('refund');
  });

  it('refuses an unknown department and the department the caller is already with', async () => {
    const call = harness();
    expect(await call.session.takeOver('sales', DANA)).toEqual(expect.objectContaining({ ok: false, code: 'unknown_department' }));
    expect(await call.session.takeOver('triage', DANA)).toEqual(expect.objectContaining({ ok: false, code: 'already_there' }));
    expect(eventsOfType(call.events, 'supervision.takeover')).toHaveLength(0);
  });
});

describe('CallSession supervision: ending', () => {
  it('ends at once with "now"', async () => {
    const call = harness();
    expect(call.session.endBySupervisor('now', DANA)).toEqual({ ok: true, mode: 'now', status: 'ended' });
    expect(await call.session.finished).toBe('supervisor-ended');
    expect(call.leg.close).toHaveBeenCalledWith('supervisor-ended');
    expect(eventsOfType(call.events, 'supervision.end')).toEqual([expect.objectContaining({ by: DANA, mode: 'now' })]);
  });

  it('politely: asks the agent for a goodbye at the reply boundary and ends once it has played', async () => {
    const call = harness();
    call.replyStarted();
    expect(call.session.endBySupervisor('polite', DANA)).toEqual({ ok: true, mode: 'polite', status: 'closing' });
    expect(call.connection.replyRequests).toEqual([]);
    call.replyDone();
    expect(call.connection.replyRequests).toEqual([expect.stringContaining('goodbye')]);

    // The caller can no longer start a new turn while the goodbye plays.
    call.session.callerAudio(TWENTY_MS_OF_AUDIO);
    expect(call.connection.sent.filter((message) => message.type === 'audio')).toHaveLength(0);

    call.replyStarted();
    call.agentAudio(200);
    call.replyDone();
    call.agentSays('Thank you for calling. Goodbye!');
    expect(call.session.ended).toBe(false);
    call.twilioEchoesTheRest();
    expect(await call.session.finished).toBe('supervisor-ended');
    expect(call.agentTurns().at(-1)).toEqual(expect.objectContaining({ text: 'Thank you for calling. Goodbye!' }));
  });

  it('politely, with the provider away: our own recorded goodbye, then the end', async () => {
    const call = harness();
    call.connection.ready = false;
    call.session.endBySupervisor('polite', DANA);
    expect(await call.session.finished).toBe('supervisor-ended');
    expect(call.leg.playPrompt).toHaveBeenCalledWith('goodbye');
  });

  it('refuses a second end and any takeover once the call is ending', async () => {
    const call = harness();
    call.session.endBySupervisor('polite', DANA);
    expect(call.session.endBySupervisor('now', DANA)).toEqual(expect.objectContaining({ ok: false, code: 'call_ending' }));
    expect(await call.session.takeOver('human', DANA)).toEqual(expect.objectContaining({ ok: false, code: 'call_ending' }));
  });
});

describe('CallSession supervision: listening', () => {
  function recordingTap() {
    const heard: string[] = [];
    const tap: CallAudioTap = {
      callerAudio: (audio) => void heard.push(`caller:${audio}`),
      agentAudio: (audio) => void heard.push(`agent:${audio}`),
      agentAudioCleared: () => void heard.push('cleared'),
    };
    return { tap, heard };
  }

  it('hands the tap both legs as relayed, and the barge-in that cleared the agent', () => {
    const call = harness();
    const { tap, heard } = recordingTap();
    call.session.setAudioTap(tap);
    call.session.callerAudio('CALLER');
    call.replyStarted();
    call.session.onAudio('AGENT');
    call.session.onEvent({ type: 'input.speech.started' });
    expect(heard).toEqual(['caller:CALLER', 'agent:AGENT', 'cleared']);
  });

  it('gives the tap nothing once detached, nor agent audio Twilio did not take', () => {
    const call = harness();
    const { tap, heard } = recordingTap();
    call.session.setAudioTap(tap);
    call.leg.sendAudio.mockReturnValueOnce(false);
    call.session.onAudio('DROPPED');
    call.session.setAudioTap(undefined);
    call.session.callerAudio('LATE');
    expect(heard).toEqual([]);
  });

  it('records who listened', () => {
    const call = harness();
    call.session.listening(DANA, 'l1', 'started');
    call.session.listening(DANA, 'l1', 'stopped');
    expect(eventsOfType(call.events, 'supervision.listen').map((event) => [event.listenerId, event.state, event.by.name])).toEqual([
      ['l1', 'started', 'Dana'],
      ['l1', 'stopped', 'Dana'],
    ]);
  });
});
