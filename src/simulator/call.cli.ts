import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { controlUrlFor, LocalProviderControlClient } from '../voice-agent/local/local-provider-control.client';
import { ObservedEvent, SessionLifecycleEvent } from '../voice-agent/local/local-provider-control.messages';
import { CallScriptStep, parseCallerLine, parseCallScript } from './call-script.parser';
import { ConversationSummary, ConversationTracker } from './conversation.tracker';
import { SimulatorException, SimulatorExceptionCode } from './simulator.exception';
import { SimulatedCallStats, SimulatedTwilioCall } from './twilio-call.simulator';
import { inVoiceAgentVocabulary } from './observation-vocabulary';

const USAGE = `Simulated phone call against a running service (Twilio played by this program).

usage: call [options]
  --url <url>            service base URL (env SERVICE_URL; default http://127.0.0.1:3000)
  --public-url <url>     URL Twilio signs requests for (env PUBLIC_BASE_URL; default --url)
  --from <number>        caller number (default +15551234567)
  --to <number>          number called (default +15557654321)
  --script <file>        say one line per agent turn (# comments, "pause <ms>", /dtmf 1, /hangup)
  --say <text>           inline script line; repeatable
  --quiet-ms <ms>        quiet time after the agent's reply before the next line (default 1000)
  --turn-timeout <ms>    longest wait for one agent turn (default 20000)
  --timeout <ms>         whole scripted call (default 180000)
  --provider <wire>      assemblyai or openai: the wire the service must be speaking to its
                         provider; the call fails (exit 5) when it speaks the other one
                         (start the service for it with: npm run demo -- --provider openai)
Without --script/--say: type at the "you> " prompt; /hangup, /dtmf <digits>, Ctrl-D hangs up.
Signs requests with TWILIO_AUTH_TOKEN when set.`;

export const EXIT = { ok: 0, usage: 1, refused: 2, violations: 3, timeout: 4, wrongProvider: 5 } as const;

export type ProviderWire = 'assemblyai' | 'openai';

export interface CallCliOptions {
  baseUrl: string;
  publicBaseUrl?: string;
  authToken?: string;
  from?: string;
  to?: string;
  script?: CallScriptStep[];
  quietMs: number;
  turnTimeoutMs: number;
  timeoutMs: number;
  provider?: ProviderWire;
}

export function parseCallArguments(argv: string[], env: NodeJS.ProcessEnv): CallCliOptions | 'help' {
  const options: CallCliOptions = {
    baseUrl: env.SERVICE_URL || 'http://127.0.0.1:3000',
    publicBaseUrl: env.PUBLIC_BASE_URL || undefined,
    authToken: env.TWILIO_AUTH_TOKEN || undefined,
    quietMs: 1000,
    turnTimeoutMs: 20_000,
    timeoutMs: 180_000,
  };
  const inline: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    if (flag === '--help' || flag === '-h') {
      return 'help';
    }
    const value = argv[++index];
    if (value === undefined) {
      throw new Error(`${flag} needs a value`);
    }
    switch (flag) {
      case '--url':
        options.baseUrl = value;
        break;
      case '--public-url':
        options.publicBaseUrl = value;
        break;
      case '--from':
        options.from = value;
        break;
      case '--to':
        options.to = value;
        break;
      case '--script':
        options.script = [...(options.script ?? []), ...parseCallScript(readFileSync(value, 'utf8'))];
        break;
      case '--say':
        inline.push(value);
        break;
      case '--quiet-ms':
        options.quietMs = positiveNumber(flag, value);
        break;
      case '--turn-timeout':
        options.turnTimeoutMs = positiveNumber(flag, value);
        break;
      case '--timeout':
        options.timeoutMs = positiveNumber(flag, value);
        break;
      case '--provider':
        if (value !== 'assemblyai' && value !== 'openai') throw new Error('--provider is assemblyai or openai');
        options.provider = value;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (inline.length > 0) {
    options.script = [...(options.script ?? []), ...parseCallScript(inline.join('\n'))];
  }
  new URL(options.baseUrl);
  return options;
}

export function summaryLine(conversation: ConversationSummary, stats: SimulatedCallStats, durationMs: number): string {
  const handoffs = conversation.handoffs.length === 0 ? 'no handoff' : `handoffs ${conversation.handoffs.join(', ')}`;
  const outcome = conversation.transferredToHuman ? ', transferred to human' : '';
  return (
    `summary: ${count(conversation.callerTurns, 'caller turn')}, ${count(conversation.agentTurns, 'agent turn')}, ` +
    `${count(conversation.toolCalls, 'tool call')}, ${handoffs}, ${count(conversation.interruptions, 'interruption')}${outcome}; ` +
    `audio ${stats.received.mediaFrames} frames received (${(stats.received.audioMs / 1000).toFixed(1)} s), ${stats.sent.mediaFrames} sent, ` +
    `${count(stats.received.clears, 'clear')}, ${count(stats.protocolViolations, 'protocol violation')}; ${(durationMs / 1000).toFixed(1)} s`
  );
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

class Terminal {
  private prompt?: readline.Interface;
  private readonly startedAt = performance.now();

  attach(prompt: readline.Interface): void {
    this.prompt = prompt;
  }

  detach(): void {
    this.prompt = undefined;
  }

  print(line: string): void {
    const stamped = `[${((performance.now() - this.startedAt) / 1000).toFixed(1).padStart(5)}s] ${line}`;
    if (this.prompt && process.stdout.isTTY) {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
      process.stdout.write(`${stamped}\n`);
      this.prompt.prompt(true);
      return;
    }
    process.stdout.write(`${stamped}\n`);
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }
}

class CallSession {
  readonly terminal = new Terminal();
  readonly tracker = new ConversationTracker();
  readonly call: SimulatedTwilioCall;
  private lastSaidAt = Number.NEGATIVE_INFINITY;
  private wire?: ProviderWire;
  private wrongWire = false;

  constructor(
    readonly options: CallCliOptions,
    readonly control: LocalProviderControlClient,
  ) {
    this.call = new SimulatedTwilioCall({
      baseUrl: options.baseUrl,
      publicBaseUrl: options.publicBaseUrl,
      authToken: options.authToken,
      from: options.from,
      to: options.to,
    });
    control.onEvent((event) => {
      switch (event.type) {
        case 'observed':
          return this.showObserved(event);
        case 'session-closed':
        case 'session-resumed':
        case 'session-dropped':
          return this.showLifecycle(event);
      }
    });
    control.onDisconnect(() => this.terminal.print('control channel closed'));
    this.call.on('violation', (violation) => this.terminal.print(`PROTOCOL VIOLATION: ${violation.reason}`));
    this.call.on('clear', (clear) => this.terminal.print(`clear (dropped ${Math.round(clear.droppedMs)} ms of agent audio)`));
    this.call.on('close', (closed) => {
      if (closed.by === 'service') {
        this.terminal.print(`call ended by the service (Media Stream closed, code ${closed.code})`);
      }
    });
  }

  private showObserved(observed: ObservedEvent): void {
    if (observed.callId !== this.call.callSid) {
      return;
    }
    this.noteWire(observed);
    const observation = inVoiceAgentVocabulary(observed);
    this.tracker.record(observation, performance.now()).forEach((line) => this.terminal.print(line));
    if (observation.direction === 'provider-to-client' && observation.message.type === 'reply.done') {
      const stats = this.call.stats();
      this.terminal.print(
        `  audio: ${stats.received.mediaFrames} frames received (${(stats.received.audioMs / 1000).toFixed(1)} s), ${stats.received.clears} clears`,
      );
    }
  }

  private showLifecycle(event: SessionLifecycleEvent): void {
    if (event.callId === this.call.callSid) {
      this.terminal.print(`provider ${event.type.replace('-', ' ')}${event.reason ? ` (${event.reason})` : ''}`);
    }
  }

  get over(): boolean {
    return this.call.currentPhase === 'closed' || this.tracker.sessionEnded;
  }

  async dial(): Promise<void> {
    await this.control.subscribe(this.call.callSid);
    await this.call.dial();
    this.terminal.print(`call ${this.call.callSid} ${this.call.from} -> ${this.call.to} connected (stream ${this.call.streamSid})`);
  }

  async perform(step: CallScriptStep): Promise<void> {
    switch (step.kind) {
      case 'say':
        this.lastSaidAt = performance.now();
        await this.control.sayWhenLive(this.call.callSid, step.text);
        return;
      case 'pause':
        await delay(step.ms);
        return;
      case 'dtmf':
        for (const digit of step.digits) {
          this.call.dtmf(digit);
        }
        this.terminal.print(`dtmf ${step.digits}`);
        return;
      case 'hangup':
        await this.hangup();
        return;
    }
  }

  /** Waits like a polite caller: until the agent has answered, run its tools, and stopped talking. */
  async waitForAgentTurn(): Promise<void> {
    const deadline = performance.now() + this.options.turnTimeoutMs;
    while (!this.over) {
      const now = performance.now();
      if (this.tracker.isAgentIdle(now, this.options.quietMs, this.lastSaidAt) && this.call.stats().playback.queuedMs === 0) {
        return;
      }
      if (now >= deadline) {
        this.terminal.print(`(the agent did not finish a turn within ${this.options.turnTimeoutMs} ms; going on)`);
        return;
      }
      await delay(100);
    }
  }

  /** After a transfer to a human the service ends the call; a caller would stay on the line until it does. */
  async waitForTransfer(): Promise<void> {
    const deadline = performance.now() + this.options.turnTimeoutMs;
    while (!this.over) {
      if (performance.now() >= deadline) {
        this.terminal.print(`(the service did not end the call within ${this.options.turnTimeoutMs} ms of the transfer)`);
        return;
      }
      await delay(100);
    }
  }

  async hangup(): Promise<void> {
    if (this.call.currentPhase !== 'closed' && this.call.currentPhase !== 'stopped') {
      this.terminal.print('you hung up');
      await this.call.hangup();
    }
  }

  async finish(): Promise<number> {
    await this.hangup();
    this.terminal.print('call ended');
    try {
      const status = await this.call.postStatus('completed');
      if (status.status >= 300) {
        this.terminal.print(`status callback answered ${status.status}`);
      }
    } catch (error) {
      this.terminal.print(`status callback failed: ${errorMessage(error)}`);
    }
    await this.control.close();
    this.terminal.print(summaryLine(this.tracker.summary(), this.call.stats(), this.terminal.elapsedMs()));
    if (this.wrongWire) return EXIT.wrongProvider;
    return this.call.protocolViolations.length > 0 ? EXIT.violations : EXIT.ok;
  }

  /** The service's first session message tells which wire it speaks; --provider says which it must. */
  private noteWire(observed: ObservedEvent): void {
    if (this.wire || observed.direction !== 'client-to-provider' || observed.message.type !== 'session.update') return;
    this.wire = wireOf(observed.message);
    this.terminal.print(`provider wire: ${this.wire}`);
    if (this.options.provider && this.options.provider !== this.wire) {
      this.wrongWire = true;
      this.terminal.print(
        `error: the service speaks the ${this.wire} wire, not ${this.options.provider}; start it with: npm run demo -- --provider ${this.options.provider}`,
      );
      void this.hangup();
    }
  }
}

/** OpenAI Realtime's session.update names its session type; AssemblyAI's does not. */
export function wireOf(sessionUpdate: Record<string, unknown>): ProviderWire {
  const session = sessionUpdate.session;
  return typeof session === 'object' && session !== null && (session as { type?: unknown }).type === 'realtime' ? 'openai' : 'assemblyai';
}

async function runScript(session: CallSession, steps: CallScriptStep[]): Promise<void> {
  for (const step of steps) {
    if (step.kind === 'say') {
      await session.waitForAgentTurn();
    }
    if (session.over || session.tracker.transferredToHuman) {
      break;
    }
    await session.perform(step);
  }
  await session.waitForAgentTurn();
  if (session.tracker.transferredToHuman) {
    await session.waitForTransfer();
  }
}

function runInteractive(session: CallSession): Promise<void> {
  return new Promise((resolve) => {
    const prompt = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
    session.terminal.attach(prompt);
    let queue = Promise.resolve();
    const stop = (): void => {
      session.terminal.detach();
      prompt.close();
      resolve();
    };
    session.call.once('close', stop);
    // without a listener readline turns Ctrl-C into a silent pause
    prompt.on('SIGINT', stop);
    prompt.on('close', () => {
      session.terminal.detach();
      resolve();
    });
    prompt.on('line', (input) => {
      const line = input.trim();
      if (line === '') {
        prompt.prompt();
        return;
      }
      const step = parseCallerLine(line);
      if (!step) {
        session.terminal.print(`cannot read ${JSON.stringify(line)} (try /hangup or /dtmf 1)`);
        return;
      }
      queue = queue
        .then(() => session.perform(step))
        .catch((error: unknown) => session.terminal.print(`error: ${errorMessage(error)}`))
        .then(() => (step.kind === 'hangup' ? stop() : prompt.prompt()));
    });
    prompt.prompt();
  });
}

async function readPipedScript(): Promise<CallScriptStep[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return parseCallScript(Buffer.concat(chunks).toString('utf8'));
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let options: CallCliOptions | 'help';
  try {
    options = parseCallArguments(argv, env);
  } catch (error) {
    process.stderr.write(`call: ${errorMessage(error)}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  // A piped stdin is a script, so `echo "hi" | npm run call` behaves like --say.
  const script = options.script ?? (process.stdin.isTTY ? undefined : await readPipedScript());

  let control: LocalProviderControlClient;
  try {
    control = await LocalProviderControlClient.connect(controlUrlFor(options.baseUrl));
  } catch (error) {
    const hint = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(errorMessage(error))
      ? `is the service running at ${options.baseUrl}? (--url or SERVICE_URL)`
      : `is the service at ${options.baseUrl} running with VOICE_AGENT_PROVIDER=local (not in production mode)?`;
    process.stderr.write(`call: cannot reach the local provider's control channel: ${errorMessage(error)}\n      ${hint}\n`);
    return EXIT.refused;
  }

  const session = new CallSession(options, control);
  try {
    await session.dial();
  } catch (error) {
    await control.close();
    session.call.dispose();
    process.stderr.write(`call: ${describeDialFailure(error, options)}\n`);
    return EXIT.refused;
  }

  let timedOut = false;
  const overall = script
    ? setTimeout(() => {
        timedOut = true;
        session.terminal.print(`timed out after ${options.timeoutMs} ms`);
        void session.hangup();
      }, options.timeoutMs)
    : undefined;
  const onInterrupt = (): void => void session.hangup();
  process.once('SIGINT', onInterrupt);
  try {
    if (script) {
      await runScript(session, script);
    } else {
      await runInteractive(session);
    }
  } catch (error) {
    session.terminal.print(`error: ${errorMessage(error)}`);
  } finally {
    clearTimeout(overall);
    process.off('SIGINT', onInterrupt);
  }
  const code = await session.finish();
  return timedOut ? EXIT.timeout : code;
}

function describeDialFailure(error: unknown, options: CallCliOptions): string {
  if (!(error instanceof SimulatorException)) {
    return errorMessage(error);
  }
  const signingHint =
    error.status === 401 || error.status === 403
      ? options.authToken
        ? '\n      the signature was refused: TWILIO_AUTH_TOKEN must match the service, and --public-url/PUBLIC_BASE_URL must be the URL the service signs against'
        : '\n      the service requires signed requests: set TWILIO_AUTH_TOKEN to the service token'
      : '';
  switch (error.code) {
    case SimulatorExceptionCode.WEBHOOK_FAILED:
      return `the service is unreachable: ${error.message}`;
    case SimulatorExceptionCode.WEBHOOK_REJECTED:
      return `the service refused the call: ${error.message}${signingHint}`;
    case SimulatorExceptionCode.BAD_TWIML:
      return `the service answered TwiML without a Media Stream: ${error.message}`;
    case SimulatorExceptionCode.STREAM_REJECTED:
      return `the service refused the Media Stream: ${error.message}${signingHint}`;
    default:
      return error.message;
  }
}

function positiveNumber(flag: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new Error(`${flag} needs a number of milliseconds, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`call: ${errorMessage(error)}\n`);
      process.exit(EXIT.usage);
    },
  );
}
