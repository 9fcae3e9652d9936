import {
  ConnectionClosedReason,
  ProviderEvent,
  ProviderTool,
  ResumeInfo,
  SessionConfig,
  VoiceAgentCallbacks,
} from '../../../src/voice-agent/voice-agent.types';

type EventOf<T extends ProviderEvent['type']> = Extract<ProviderEvent, { type: T }>;

// Records what a VoiceAgentConnection delivers and lets a test wait for it, event-driven.
export class VoiceAgentRecorder implements VoiceAgentCallbacks {
  readonly events: ProviderEvent[] = [];
  readonly resumed: ResumeInfo[] = [];
  audioFrames = 0;
  reconnecting = 0;
  freshRequests = 0;
  closed: ConnectionClosedReason | undefined;
  // Runs synchronously inside onReconnecting, while the client is between sockets.
  whileReconnecting: (() => void) | undefined;
  private readonly checks = new Set<() => void>();

  constructor(private readonly freshSession: () => SessionConfig) {}

  onEvent(event: ProviderEvent): void {
    this.events.push(event);
    this.notify();
  }

  onAudio(): void {
    this.audioFrames++;
    this.notify();
  }

  onResumed(info?: ResumeInfo): void {
    this.resumed.push(info as ResumeInfo);
    this.notify();
  }

  onReconnecting(): void {
    this.reconnecting++;
    this.whileReconnecting?.();
    this.notify();
  }

  onFreshSessionRequired(): SessionConfig {
    this.freshRequests++;
    return this.freshSession();
  }

  onClosed(reason: ConnectionClosedReason): void {
    this.closed = reason;
    this.notify();
  }

  mark(): number {
    return this.events.length;
  }

  since(mark: number): ProviderEvent[] {
    return this.events.slice(mark);
  }

  until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${this.events.map((event) => event.type).join(', ')}`),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      this.checks.add(check);
    });
  }

  async event<T extends ProviderEvent['type']>(
    type: T,
    options: { since?: number; where?: (event: EventOf<T>) => boolean; timeoutMs?: number } = {},
  ): Promise<EventOf<T>> {
    const find = () =>
      this.events
        .slice(options.since ?? 0)
        .find((event): event is EventOf<T> => event.type === type && (options.where?.(event as EventOf<T>) ?? true));
    await this.until(() => find() !== undefined, `provider event ${type}`, options.timeoutMs);
    return find() as EventOf<T>;
  }

  async closedWith(timeoutMs = 5_000): Promise<ConnectionClosedReason> {
    await this.until(() => this.closed !== undefined, 'onClosed', timeoutMs);
    return this.closed as ConnectionClosedReason;
  }

  async nextResumed(count = 1, timeoutMs = 5_000): Promise<ResumeInfo> {
    await this.until(() => this.resumed.length >= count, 'onResumed', timeoutMs);
    return this.resumed[count - 1];
  }

  private notify(): void {
    for (const check of [...this.checks]) check();
  }
}

export const tool = (name: string): ProviderTool => ({
  type: 'function',
  name,
  description: `${name} (test)`,
  parameters: { type: 'object', properties: {} },
});

export const TRIAGE_TOOLS = [
  'lookup_order',
  'lookup_account_by_email',
  'transfer_to_billing',
  'transfer_to_refund',
  'transfer_to_faq',
  'transfer_to_escalation',
].map(tool);
export const BILLING_TOOLS = ['lookup_order', 'lookup_account_by_email', 'list_recent_orders', 'check_billing', 'create_ticket'].map(tool);

export const sessionConfig = (overrides: Partial<SessionConfig> = {}): SessionConfig => ({
  system_prompt: 'You are Avery, the front desk agent at Acme support.',
  greeting: 'Hi, this is Avery from Acme support. How can I help?',
  tools: TRIAGE_TOOLS,
  input: { format: { encoding: 'audio/pcmu' }, turn_detection: { interrupt_response: true } },
  output: { voice: 'ivy', format: { encoding: 'audio/pcmu' } },
  ...overrides,
});

export const CALLER_FRAME = Buffer.alloc(160, 0xfe).toString('base64');
