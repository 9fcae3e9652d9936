import { TelephonyLeg } from '../../../src/sessions/call-session.ports';
import { harness } from './call-session.harness';
import { eventsOfType } from '../../support/call-events';

function newLeg() {
  return {
    sendAudio: jest.fn((_audio: string) => true),
    clearAudio: jest.fn(),
    mark: jest.fn(),
    close: jest.fn(),
    playPrompt: jest.fn(async () => undefined),
    transferToHuman: jest.fn(async () => ({ status: 'failed' as const, detail: 'unused' })),
  } satisfies TelephonyLeg;
}

describe('CallSession: warm transfer to a person', () => {
  const dialing = { status: 'dialing' as const, detail: 'dialling number +15550100 (warm, 20 s)' };

  async function inWarmTransfer() {
    const call = harness({ transfer: dialing });
    call.callerSays('I want to talk to a real person');
    call.replyDone();
    call.toolCall('h1', 'transfer_to_human', { reason: 'asked for a person', summary: 'wants a person' });
    call.replyDone();
    await call.flush();
    return call;
  }

  it('waits for the dial result instead of ending: the stopped Media Stream does not end the call', async () => {
    const call = await inWarmTransfer();
    expect(eventsOfType(call.events, 'transfer.dialing')).toEqual([
      expect.objectContaining({ cause: 'agent-requested', reason: 'asked for a person', target: 'human' }),
    ]);
    void call.session.end('twilio-stop');
    await call.flush();
    expect(call.session.ended).toBe(false);
    expect(call.endings).toEqual([]);
  });

  it('answered: the call is escalated and leaves us', async () => {
    const call = await inWarmTransfer();
    void call.session.end('twilio-stop');
    expect(call.session.warmTransferResult('answered')).toBe('ended');
    expect(await call.session.finished).toBe('human-transfer');
    expect(call.endings[0].outcome).toBe('escalated');
    expect(eventsOfType(call.events, 'escalation')).toEqual([
      expect.objectContaining({ transferred: true, detail: 'warm transfer: answered' }),
    ]);
    // The dial's final callback after the human conversation changes nothing.
    expect(call.session.warmTransferResult('answered')).toBe('none');
  });

  it('nobody answered: the caller comes back on a new stream, and the next session.update says the transfer failed', async () => {
    const call = await inWarmTransfer();
    void call.session.end('twilio-stop');
    expect(call.session.warmTransferResult('no-answer')).toBe('rejoin');
    expect(call.session.awaitingRejoin).toBe(true);
    expect(call.telemetry.escalations).toEqual([{ cause: 'agent-requested', result: 'failed' }]);

    const back = newLeg();
    call.session.rejoin(back, 'MZ2');
    expect(call.session.awaitingRejoin).toBe(false);
    // Already with escalation (the rule moved the caller there): an instructions update tells the agent.
    expect(call.session.department).toBe('escalation');
    const update = call.connection.updates().at(-1)!.update;
    expect(Object.keys(update)).toEqual(['system_prompt']);
    expect(update.system_prompt).toContain('## Just now\nA transfer to a person was just tried and did not go through (nobody answered)');
    expect(call.connection.replyRequests.at(-1)).toContain('ticket');
    expect(eventsOfType(call.events, 'call.rejoined')).toEqual([expect.objectContaining({ streamSid: 'MZ2' })]);
    expect(eventsOfType(call.events, 'transfer.result')).toEqual([expect.objectContaining({ status: 'no-answer' })]);

    // The agent's audio now goes to the new stream.
    call.replyStarted();
    call.session.onAudio('AAAA');
    expect(back.sendAudio).toHaveBeenCalledWith('AAAA');
    expect(call.session.ended).toBe(false);
  });

  it('a caller taken over from another department comes back to escalation, handed over with the failed transfer as reason', async () => {
    const call = harness({ transfer: dialing });
    expect(await call.session.takeOver('human', { role: 'supervisor', name: 'Dana' })).toEqual({
      ok: true,
      to: 'human',
      status: 'dialing',
    });
    expect(call.session.warmTransferResult('busy')).toBe('rejoin');
    call.session.rejoin(newLeg(), 'MZ2');
    expect(call.session.department).toBe('escalation');
    expect(call.connection.updates().at(-1)!.update.system_prompt).toContain('Reason: transfer to a person failed (the line was busy)');
    expect(call.handoffs.at(-1)).toEqual(expect.objectContaining({ fromAgent: 'triage', toAgent: 'escalation', status: 'applied' }));
  });

  it('a caller who hung up during the dial ends the call', async () => {
    const call = await inWarmTransfer();
    expect(call.session.warmTransferResult('canceled')).toBe('ended');
    expect(await call.session.finished).toBe('hangup');
  });

  it('when the provider itself failed, the transfer is cold: nobody could take the caller back', async () => {
    const call = harness({ transfer: dialing });
    call.session.onClosed({ kind: 'lost', message: 'gone' });
    await call.flush();
    await call.flush();
    expect(call.leg.transferToHuman).toHaveBeenCalledWith(expect.objectContaining({ cold: true }));
  });
});
