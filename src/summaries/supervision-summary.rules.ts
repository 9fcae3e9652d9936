import { CallEvent, Supervisor, SupervisorEndMode } from '../call-journal/call-event.types';

export interface SupervisionSummary {
  /** Each listening session (a browser tab or an API client), in the order they started; stoppedAt null: to the end of the call. */
  listeners: { listenerId: string; by: Supervisor; startedAt: string; stoppedAt: string | null }[];
  whispers: { noteId: string; text: string; by: Supervisor; at: string; withdrawnAt: string | null }[];
  takeover?: { by: Supervisor; to: string; at: string };
  ended?: { by: Supervisor; mode: SupervisorEndMode; at: string };
}

/** What supervisors did on a call, from its events; undefined when nobody supervised it. */
export function supervisionOf(events: readonly CallEvent[]): SupervisionSummary | undefined {
  const listeners = new Map<string, SupervisionSummary['listeners'][number]>();
  const whispers = new Map<string, SupervisionSummary['whispers'][number]>();
  let takeover: SupervisionSummary['takeover'];
  let ended: SupervisionSummary['ended'];
  for (const event of events) {
    switch (event.type) {
      case 'supervision.listen': {
        const known = listeners.get(event.listenerId);
        if (event.state === 'started' && !known) {
          listeners.set(event.listenerId, { listenerId: event.listenerId, by: event.by, startedAt: event.at, stoppedAt: null });
        } else if (event.state === 'stopped' && known && known.stoppedAt === null) {
          known.stoppedAt = event.at;
        }
        break;
      }
      case 'supervision.whisper':
        whispers.set(event.noteId, { noteId: event.noteId, text: event.text, by: event.by, at: event.at, withdrawnAt: null });
        break;
      case 'supervision.whisper.withdrawn': {
        const note = whispers.get(event.noteId);
        if (note) note.withdrawnAt = event.at;
        break;
      }
      case 'supervision.takeover':
        takeover = { by: event.by, to: event.to, at: event.at };
        break;
      case 'supervision.end':
        ended = { by: event.by, mode: event.mode, at: event.at };
        break;
    }
  }
  if (listeners.size === 0 && whispers.size === 0 && !takeover && !ended) return undefined;
  return {
    listeners: [...listeners.values()],
    whispers: [...whispers.values()],
    ...(takeover ? { takeover } : {}),
    ...(ended ? { ended } : {}),
  };
}
