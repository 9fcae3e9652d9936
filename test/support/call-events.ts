import { CallEvent } from '../../src/call-journal/call-event.types';

/** The events of one type, typed as that type. */
export function eventsOfType<T extends CallEvent['type']>(events: readonly CallEvent[], type: T): Extract<CallEvent, { type: T }>[] {
  return events.filter((event): event is Extract<CallEvent, { type: T }> => event.type === type);
}
