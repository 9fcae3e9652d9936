import { useId, useState } from 'react';
import type { AgentConfig } from '../agents/agent.types';
import { ActionError } from './ActionError';
import { ConfirmAction } from './ConfirmAction';
import { isCallEnded } from './supervisionApi';
import type { TakeoverAnswer } from './types';

interface Props {
  /** The departments there are (GET /agents), undefined while loading. */
  departments: AgentConfig[] | undefined;
  departmentsError: unknown;
  /** Where the caller is now: not offered. */
  currentDepartment: string | null;
  takeOver(to: string): Promise<TakeoverAnswer>;
  /** What the takeover did, in words: kept by the panel for after the call ends (a transfer ends it). */
  onOutcome(text: string): void;
  onCallEnded(): void;
}

type Outcome = { answer: TakeoverAnswer; label: string } | { error: unknown; target: 'human' | 'department' };

/** Move the caller away from the agent now: to a person, or to another department. */
export function TakeoverControl({ departments, departmentsError, currentDepartment, takeOver, onOutcome, onCallEnded }: Props) {
  const id = useId();
  const choices = (departments ?? []).filter((agent) => agent.key !== currentDepartment);
  const [chosen, setChosen] = useState('');
  const department = choices.find((agent) => agent.key === chosen) ?? choices[0];
  const [outcome, setOutcome] = useState<Outcome>();

  const run = async (to: string, label: string, target: 'human' | 'department') => {
    setOutcome(undefined);
    try {
      const answer = await takeOver(to);
      setOutcome({ answer, label });
      onOutcome(takeoverText(answer, label));
    } catch (error) {
      if (isCallEnded(error)) onCallEnded();
      else setOutcome({ error, target });
    }
  };

  return (
    <section className="supervision-part" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Take over</h3>
      <p className="muted text-small">Moves the caller away from this agent now; the timeline records it with your name.</p>
      <div className="supervision-row">
        <ConfirmAction
          label="Transfer to a person now"
          question="Transfer the caller to a person now? The agent stops; the person gets the call's summary."
          confirmLabel="Yes, transfer now"
          triggerClassName="secondary"
          onConfirm={() => run('human', 'a person', 'human')}
        />
      </div>
      {outcome && 'error' in outcome && outcome.target === 'human' && <ActionError error={outcome.error} />}
      <div className="supervision-row takeover-department">
        <label htmlFor={`${id}-department`}>Department</label>
        <select
          id={`${id}-department`}
          value={department?.key ?? ''}
          disabled={choices.length === 0}
          onChange={(event) => setChosen(event.target.value)}
        >
          {departments === undefined && !departmentsError && <option value="">Loading…</option>}
          {departments !== undefined && choices.length === 0 && <option value="">No other department</option>}
          {choices.map((agent) => (
            <option key={agent.key} value={agent.key}>
              {agent.displayName || agent.key}
            </option>
          ))}
        </select>
        <ConfirmAction
          label="Hand to department"
          question={`Hand the caller to ${department?.displayName || department?.key || 'the department'} now? It takes over at the end of the agent's current reply.`}
          confirmLabel="Yes, hand over"
          triggerClassName="secondary"
          disabled={!department}
          onConfirm={() => (department ? run(department.key, department.displayName || department.key, 'department') : Promise.resolve())}
        />
      </div>
      {departmentsError !== undefined && <ActionError error={departmentsError} />}
      {outcome && 'error' in outcome && outcome.target === 'department' && <ActionError error={outcome.error} />}
      {outcome && 'answer' in outcome && (
        <p role="status" className="supervision-result" data-testid="takeover-result" data-status={outcome.answer.status}>
          {takeoverText(outcome.answer, outcome.label)}
        </p>
      )}
    </section>
  );
}

function takeoverText(answer: TakeoverAnswer, label: string): string {
  switch (answer.status) {
    case 'transferred':
      return 'Transferred: the call is going to a person.';
    case 'simulated':
      return 'Transfer simulated: there is no Twilio account here (development), so no person was dialled.';
    case 'pending':
      return `Handoff to ${label} requested: it applies once the agent's current reply ends.`;
    case 'applied':
      return `Handed to ${label}.`;
    default:
      return `Done (${String(answer.status)}).`;
  }
}
