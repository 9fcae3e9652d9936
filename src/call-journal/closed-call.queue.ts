/**
 * Where the journal hands a call once its ending is stored. The post-call side provides it
 * (summaries' PostCallSummaryQueue); the process root wires it, so the journal never imports
 * the module that reads it. An abstract class, so it can be the injection token.
 */
export abstract class ClosedCallQueue {
  /** Idempotent per call and revision: a second enqueue of the same pair does nothing. */
  abstract enqueue(callSid: string, revision: number): Promise<void>;
}
