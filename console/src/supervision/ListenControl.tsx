import { useId } from 'react';
import { formatTime, humanise } from '../calls/format';
import { isListenActive, ListenState, secondsReceived } from './listenState';
import type { SupervisionStateView } from './types';
import { supervisorLabel } from './types';
import type { Listen } from './useListen';

interface Props {
  listen: Listen;
  /** Everyone listening to the call, from the service (this tab included once it listens). */
  listeners: SupervisionStateView['listeners'];
}

/** Listen to the call in the browser: Listen / Stop, what is happening, the two legs' levels. */
export function ListenControl({ listen, listeners }: Props) {
  const id = useId();
  const { state } = listen;
  const active = isListenActive(state.phase);
  const others = listeners.filter((listener) => listener.listenerId !== state.listenerId);
  return (
    <section className="supervision-part" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Listen</h3>
      <div className="supervision-row">
        <button
          type="button"
          className={active ? 'secondary' : undefined}
          onClick={active ? listen.stop : listen.start}
          aria-describedby={`${id}-state`}
        >
          {active ? 'Stop' : state.phase === 'idle' ? 'Listen' : 'Listen again'}
        </button>
        <span id={`${id}-state`} role="status" className="listen-state" data-testid="listen-state" data-state={state.phase}>
          <ListenStateText state={state} />
        </span>
      </div>
      <label className="inline-check">
        <input
          type="checkbox"
          checked={listen.earMode === 'split'}
          onChange={(event) => listen.setEarMode(event.target.checked ? 'split' : 'mixed')}
        />
        Caller in the left ear, agent in the right <span className="muted">(else both in both ears)</span>
      </label>
      <div className="listen-meters">
        <LevelMeter label="Caller" level={state.levels.caller} channel="caller" />
        <LevelMeter label="Agent" level={state.levels.agent} channel="agent" />
      </div>
      <p className="muted text-small tabular" data-testid="listen-seconds" data-seconds={secondsReceived(state)}>
        {secondsReceived(state)} s of audio received
      </p>
      {state.audioProblem && (
        <p className="field-error text-small">This browser cannot play the audio ({state.audioProblem}); the levels still show.</p>
      )}
      {others.length > 0 && (
        <p className="muted text-small" data-testid="other-listeners">
          Also listening:{' '}
          {others.map((listener, index) => (
            <span key={listener.listenerId}>
              {index > 0 ? ', ' : ''}
              {supervisorLabel(listener.by)} since {formatTime(listener.since)}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}

function ListenStateText({ state }: { state: ListenState }) {
  switch (state.phase) {
    case 'idle':
      return <span className="muted">Not listening.</span>;
    case 'connecting':
      return <span className="muted">Connecting…</span>;
    case 'listening':
      return (
        <span className="badge good">
          <span className="live-dot" aria-hidden="true" />
          Listening
        </span>
      );
    case 'ended':
      return (
        <span>
          <strong>The call has ended.</strong>
          {state.endReason ? ` ${humanise(state.endReason)}.` : state.detail ? ` ${state.detail}` : ''}
        </span>
      );
    case 'refused':
      return <span className="listen-problem">Refused: {state.detail}</span>;
    case 'too-slow':
      return (
        <span className="listen-problem">
          Stopped: this browser fell behind the audio ({state.detail}). The call was not slowed; listen again to resume.
        </span>
      );
    case 'lost':
      return <span className="listen-problem">Connection lost: {state.detail} Listen again to resume.</span>;
    case 'stopped':
      return <span className="muted">Stopped listening.</span>;
  }
}

function LevelMeter({ label, level, channel }: { label: string; level: number; channel: 'caller' | 'agent' }) {
  const percent = Math.round(level * 100);
  return (
    <div className="level">
      <span className={`speaker speaker-${channel}`} aria-hidden="true">
        {label}
      </span>
      <div
        className={`level-meter level-${channel}`}
        role="meter"
        aria-label={`${label} level`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid={`level-${channel}`}
        data-level={percent}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
