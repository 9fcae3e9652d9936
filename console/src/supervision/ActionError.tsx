import { ApiError } from '../api/client';
import { errorText } from './supervisionApi';

/** An API error beside the control that caused it. */
export function ActionError({ error, id }: { error: unknown; id?: string }) {
  if (error === undefined) return null;
  return (
    <p className="field-error supervision-error" role="alert" id={id}>
      {errorText(error)}
      {error instanceof ApiError && error.code ? <span className="muted"> ({error.code})</span> : null}
    </p>
  );
}
