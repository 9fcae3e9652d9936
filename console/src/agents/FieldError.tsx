import { FormInput } from './agent.types';
import { Refusal } from './agentDraft';

/** The form's ids: `agent-greeting`, `agent-escalation-redFlags-phrases`; a refusal's summary links to them. */
export const inputId = (input: FormInput) => `agent-${input.replace(/\./g, '-')}`;
export const errorId = (input: FormInput) => `${inputId(input)}-error`;

/** The service's words about one input, shown beside it. */
export function FieldError({ field, refusal }: { field: FormInput; refusal: Refusal | undefined }) {
  const messages = refusal?.byField[field];
  if (!messages) return null;
  return (
    <p id={errorId(field)} className="field-error">
      {messages.join(' ')}
    </p>
  );
}

/** What an input carries for its refusal: marked invalid, described by its hint and its error. */
export function invalidProps(field: FormInput, refusal: Refusal | undefined, hint?: string) {
  const problems = refusal?.byField[field];
  const describedBy = [hint, problems ? errorId(field) : undefined].filter(Boolean).join(' ');
  return {
    id: inputId(field),
    'aria-invalid': problems ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
}
