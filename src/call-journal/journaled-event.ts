import { JsonLimits } from '../privacy/storable-text';
import { storableRedacted } from '../privacy/storable-redacted';
import { CallEvent } from './call-event.types';

/**
 * What one journaled event may hold. A caller's utterance or a tool's answer is well under
 * these; a model that sends a 100 KB tool argument gets it cut here, on the way in, so nothing
 * downstream (Redis, the post-call job, Postgres) ever handles more.
 */
export const JOURNALED_EVENT_LIMITS: JsonLimits = { maxStringChars: 4000, maxTotalChars: 16_000, maxDepth: 8 };

/**
 * The event as the journal keeps it: no email, card or phone number (Redis holds the call for
 * days if it is never summarised), nothing Postgres would refuse (NUL, lone surrogates), no
 * bigger than the limits, with the cut recorded. Linear in the event's size.
 */
export function storableEvent(event: CallEvent): CallEvent {
  const { value, truncated, originalChars } = storableRedacted(event, JOURNALED_EVENT_LIMITS);
  const stored = value as unknown as CallEvent;
  // The event's own shape is ours, not the caller's words: keep it exactly.
  stored.type = event.type;
  stored.at = event.at;
  if (truncated) stored.truncated = { originalChars };
  return stored;
}
