import { randomUUID } from 'node:crypto';
import { HandoffLogEntry } from '../../../src/handoff/handoff.types';

export const handoffLogEntryFactory = {
  applied(overrides: Partial<HandoffLogEntry> = {}): HandoffLogEntry {
    const requestedAt = overrides.requestedAt ?? new Date().toISOString();
    return {
      id: randomUUID(),
      callId: `CA${randomUUID().replace(/-/g, '')}`,
      fromAgent: 'triage',
      toAgent: 'billing',
      reason: 'caller asked about a charge',
      summary: 'Jane Doe (verified) asks about a charge on ORD-12345.',
      status: 'applied',
      code: null,
      requestedAt,
      appliedAt: new Date(Date.parse(requestedAt) + 4).toISOString(),
      latencyMs: 4.2,
      fromVersion: 1,
      toVersion: 1,
      ...overrides,
    };
  },

  refused(overrides: Partial<HandoffLogEntry> = {}): HandoffLogEntry {
    return handoffLogEntryFactory.applied({
      status: 'refused',
      code: 'PING_PONG',
      appliedAt: null,
      latencyMs: null,
      toVersion: null,
      ...overrides,
    });
  },
};
