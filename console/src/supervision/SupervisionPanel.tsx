import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { listAgents } from '../agents/agentsApi';
import { useApi, useAuth } from '../auth/AuthContext';
import { humanise } from '../calls/format';
import type { CallDetailView } from '../calls/types';
import { useResource } from '../components/useResource';
import { ActionError } from './ActionError';
import { EndCallControl } from './EndCallControl';
import { ListenControl } from './ListenControl';
import { isListenActive } from './listenState';
import { storedSupervisorName, storeSupervisorName, normaliseSupervisorName } from './supervisorName';
import { SupervisorNameForm } from './SupervisorNameForm';
import { isCallEnded, SupervisionApi } from './supervisionApi';
import { TakeoverControl } from './TakeoverControl';
import type { SupervisionStateView, SupervisorEndMode, SupervisorNoteView } from './types';
import { useListen } from './useListen';
import { WhisperControl } from './WhisperControl';
import './supervision.css';

interface Props {
  /** The call as the page last loaded it: each refresh also refreshes the notes and listeners. */
  call: CallDetailView;
  /** Loads the call again (after an action, so the timeline shows it sooner). */
  reload(): void;
}

/** Listen, whisper, take over and end: a supervisor's controls over a live call. */
export function SupervisionPanel({ call, reload }: Props) {
  const { session } = useAuth();
  const api = useApi();
  const supervision = useMemo(() => new SupervisionApi(api, call.callSid), [api, call.callSid]);
  const [name, setName] = useState<string | null>(() => storedSupervisorName(sessionStorage));
  const [changingName, setChangingName] = useState(false);
  const listen = useListen(call.callSid, name, session?.token ?? '');
  const [endedHere, setEndedHere] = useState(false);
  const [lastOutcome, setLastOutcome] = useState<string>();
  const ended = call.status !== 'live' || endedHere || listen.state.phase === 'ended';

  const remote = useSupervisionState(supervision, call, ended);
  const onCallEnded = useCallback(() => {
    setEndedHere(true);
    reload();
  }, [reload]);
  useEffect(() => {
    if (remote.error !== undefined && isCallEnded(remote.error)) setEndedHere(true);
  }, [remote.error]);
  const { stop: stopListening } = listen;
  const listening = isListenActive(listen.state.phase);
  useEffect(() => {
    if (ended && listening) stopListening();
  }, [ended, listening, stopListening]);

  const departments = useResource(() => listAgents(api), [api]);

  if (session?.role !== 'supervisor' && session?.role !== 'admin') return null;

  const saveName = (raw: string) => {
    const normalised = normaliseSupervisorName(raw);
    storeSupervisorName(sessionStorage, normalised);
    setName(normalised);
    setChangingName(false);
  };

  if (ended) {
    return (
      <section
        className="card supervision supervision-ended"
        aria-labelledby="supervision-title"
        data-testid="supervision-panel"
        data-state="ended"
      >
        <h2 id="supervision-title">Supervision</h2>
        <p role="status">
          <strong>This call has ended.</strong>
          {call.endReason ? ` ${humanise(call.endReason)}.` : listen.state.endReason ? ` ${humanise(listen.state.endReason)}.` : ''} What
          supervisors did is in the conversation below and, once written, in the summary.
        </p>
        {lastOutcome && <p className="muted text-small">Your takeover: {lastOutcome}</p>}
      </section>
    );
  }

  const supervisor = name ?? '';
  const currentDepartment = remote.state?.department || call.departments.at(-1) || call.finalDepartment;
  return (
    <section className="card supervision" aria-labelledby="supervision-title" data-testid="supervision-panel" data-state="live">
      <header className="supervision-header">
        <h2 id="supervision-title">Supervision</h2>
        {name !== null && !changingName && (
          <p className="supervision-who" data-testid="supervisor-name">
            Supervising as <strong>{name}</strong> <span className="muted">({session.role})</span>{' '}
            <button type="button" className="link" onClick={() => setChangingName(true)}>
              Change name
            </button>
          </p>
        )}
      </header>
      {name === null || changingName ? (
        <SupervisorNameForm current={name} onSave={saveName} onCancel={name === null ? undefined : () => setChangingName(false)} />
      ) : null}
      {name === null ? (
        <p className="muted">Give your name to listen to this call or act on it.</p>
      ) : (
        <>
          {remote.error !== undefined && !isCallEnded(remote.error) && (
            <div className="text-small">
              Could not load the notes and listeners: <ActionError error={remote.error} />
            </div>
          )}
          <div className="supervision-grid">
            <div className="supervision-column">
              <ListenControl listen={listen} listeners={remote.state?.listeners ?? []} />
              <TakeoverControl
                departments={departments.status === 'ready' ? departments.data : undefined}
                departmentsError={departments.status === 'error' ? departments.error : undefined}
                currentDepartment={currentDepartment}
                onOutcome={setLastOutcome}
                takeOver={async (to) => {
                  const answer = await supervision.takeOver(to, supervisor);
                  reload();
                  return answer;
                }}
                onCallEnded={onCallEnded}
              />
              <EndCallControl
                end={async (mode: SupervisorEndMode) => {
                  const answer = await supervision.end(mode, supervisor);
                  reload();
                  return answer;
                }}
                onCallEnded={onCallEnded}
              />
            </div>
            <div className="supervision-column">
              <WhisperControl
                notes={remote.state?.activeNotes ?? []}
                events={call.events}
                send={async (text) => {
                  remote.setNotes((await supervision.whisper(text, supervisor)).activeNotes);
                  reload();
                }}
                withdraw={async (noteId) => {
                  remote.setNotes((await supervision.withdraw(noteId, supervisor)).activeNotes);
                  reload();
                }}
                onCallEnded={onCallEnded}
              />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

interface RemoteSupervision {
  state: SupervisionStateView | undefined;
  error: unknown;
  /** The notes an action's answer says are in force (newer than any load still under way). */
  setNotes(notes: SupervisorNoteView[]): void;
}

/** GET /calls/:id/supervision, again each time the page refreshes the call, while it is live. */
function useSupervisionState(supervision: SupervisionApi, call: CallDetailView, ended: boolean): RemoteSupervision {
  const [state, setState] = useState<SupervisionStateView>();
  const [error, setError] = useState<unknown>(undefined);
  // An action's answer is newer than a load that started before it: such a load is dropped.
  const actions = useRef(0);

  useEffect(() => {
    if (ended) return undefined;
    let cancelled = false;
    const actionsBefore = actions.current;
    supervision.state().then(
      (loaded) => {
        if (cancelled || actions.current !== actionsBefore) return;
        setState(loaded);
        setError(undefined);
      },
      (failure: unknown) => {
        if (!cancelled) setError(failure);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [supervision, call, ended]);

  const setNotes = useCallback(
    (notes: SupervisorNoteView[]) => {
      actions.current += 1;
      setState((current) => ({ callSid: call.callSid, department: '', listeners: [], ...current, activeNotes: notes }));
    },
    [call.callSid],
  );
  return { state, error, setNotes };
}
