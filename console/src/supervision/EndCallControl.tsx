import { useId, useState } from 'react';
import { ActionError } from './ActionError';
import { ConfirmAction } from './ConfirmAction';
import { isCallEnded } from './supervisionApi';
import type { EndAnswer, SupervisorEndMode } from './types';

interface Props {
  end(mode: SupervisorEndMode): Promise<EndAnswer>;
  onCallEnded(): void;
}

/** End the call: politely (the agent says a closing line) or at once. */
export function EndCallControl({ end, onCallEnded }: Props) {
  const id = useId();
  const [closing, setClosing] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const run = async (mode: SupervisorEndMode) => {
    setError(undefined);
    try {
      const answer = await end(mode);
      if (answer.status === 'ended') onCallEnded();
      else setClosing(true);
    } catch (failure) {
      if (isCallEnded(failure)) onCallEnded();
      else setError(failure);
    }
  };

  return (
    <section className="supervision-part" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>End call</h3>
      <div className="supervision-row">
        <ConfirmAction
          label="End politely (agent says goodbye)"
          question="End the call politely? The agent says a closing line, then the call ends."
          confirmLabel="Yes, end politely"
          triggerClassName="secondary"
          disabled={closing}
          onConfirm={() => run('polite')}
        />
        <ConfirmAction
          label="End now"
          question="End the call now? The caller is cut off at once."
          confirmLabel="Yes, end now"
          tone="danger"
          triggerClassName="danger"
          onConfirm={() => run('now')}
        />
      </div>
      {closing && (
        <p role="status" className="supervision-result" data-testid="end-result">
          The agent is saying goodbye; the call ends after it.
        </p>
      )}
      <ActionError error={error} />
    </section>
  );
}
