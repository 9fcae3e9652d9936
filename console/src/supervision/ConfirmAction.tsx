import { KeyboardEvent, ReactNode, useEffect, useRef, useState } from 'react';

interface Props {
  /** The button that asks: also the name of the confirmation group. */
  label: string;
  /** What will happen, asked before it does. */
  question: ReactNode;
  confirmLabel: string;
  /** danger: a red confirm button (the caller is cut off). */
  tone?: 'danger' | 'primary';
  /** The asking button's look. */
  triggerClassName?: string;
  disabled?: boolean;
  onConfirm(): Promise<void>;
}

/**
 * An action taken in two steps: the button, then a confirmation in its place (focus on the
 * confirm button; Cancel or Escape goes back, focus on the button again).
 */
export function ConfirmAction({ label, question, confirmLabel, tone = 'primary', triggerClassName, disabled, onConfirm }: Props) {
  const [step, setStep] = useState<'idle' | 'asking' | 'busy'>('idle');
  const triggerRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (step === 'asking') confirmRef.current?.focus();
    if (step === 'idle' && returnFocus.current) {
      returnFocus.current = false;
      triggerRef.current?.focus();
    }
  }, [step]);

  const cancel = () => {
    returnFocus.current = true;
    setStep('idle');
  };
  const confirm = async () => {
    setStep('busy');
    try {
      await onConfirm();
    } finally {
      returnFocus.current = true;
      setStep('idle');
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && step === 'asking') {
      event.preventDefault();
      cancel();
    }
  };

  if (step === 'idle') {
    return (
      <button ref={triggerRef} type="button" className={triggerClassName} disabled={disabled} onClick={() => setStep('asking')}>
        {label}
      </button>
    );
  }
  return (
    <div className="confirm-step" role="group" aria-label={`${label}: confirm`} onKeyDown={onKeyDown}>
      <p>{question}</p>
      <div className="confirm-buttons">
        <button
          ref={confirmRef}
          type="button"
          className={tone === 'danger' ? 'danger' : undefined}
          disabled={step === 'busy'}
          onClick={() => void confirm()}
        >
          {step === 'busy' ? 'Working…' : confirmLabel}
        </button>
        <button type="button" className="secondary" disabled={step === 'busy'} onClick={cancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
