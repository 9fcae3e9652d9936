import { Inject, Injectable } from '@nestjs/common';
import { SupervisedCall, Supervisor } from '../sessions/call-supervision.ports';
import { SupervisionCommand, SupervisionOutcome } from './supervision-command.types';
import { callEnded, endOutcome, refused, succeeded, takeoverOutcome } from './supervision-outcomes';

export interface ListenerView {
  listenerId: string;
  by: Supervisor;
  /** ISO time the listener started. */
  since: string;
}

/** The owner's side of listening (the listen module): leases that keep a call's audio flowing to listeners. */
export interface ListenLeases {
  lease(call: SupervisedCall, listenerId: string, by: Supervisor, leaseMs: number): SupervisionOutcome;
  release(call: SupervisedCall, listenerId: string, by: Supervisor): SupervisionOutcome;
  listenersOf(callSid: string): ListenerView[];
}

export const LISTEN_LEASES = Symbol('LISTEN_LEASES');

/** Runs a supervision command on the instance that holds the call. */
@Injectable()
export class SupervisionExecutor {
  constructor(@Inject(LISTEN_LEASES) private readonly listening: ListenLeases) {}

  async execute(call: SupervisedCall, command: SupervisionCommand): Promise<SupervisionOutcome> {
    // A listener leaving an ending call is still let go cleanly; anything else on it is refused.
    if (call.ended && command.kind !== 'stop-listening') return callEnded(call.callSid);
    const { callSid } = call;
    switch (command.kind) {
      case 'whisper': {
        const note = call.whisper(command.text, command.by);
        return succeeded({ callSid, note, activeNotes: call.supervisorNotes });
      }
      case 'withdraw-whisper':
        return call.withdrawWhisper(command.noteId, command.by)
          ? succeeded({ callSid, activeNotes: call.supervisorNotes })
          : refused(404, 'note_not_found', `No note ${command.noteId} is in force on call ${callSid}.`);
      case 'takeover':
        return takeoverOutcome(callSid, await call.takeOver(command.to, command.by));
      case 'end':
        return endOutcome(callSid, call.endBySupervisor(command.mode, command.by));
      case 'listen':
        return this.listening.lease(call, command.listenerId, command.by, command.leaseMs);
      case 'stop-listening':
        return this.listening.release(call, command.listenerId, command.by);
      case 'status':
        return succeeded({
          callSid,
          department: call.department,
          activeNotes: call.supervisorNotes,
          listeners: this.listening.listenersOf(callSid),
        });
    }
  }
}
