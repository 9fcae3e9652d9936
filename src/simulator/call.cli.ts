import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { controlUrlFor, LocalProviderControlClient } from '../voice-agent/local/local-provider-control.client';
import { ObservedEvent, SessionLifecycleEvent } from '../voice-agent/local/local-provider-control.messages';
import { CallScriptStep, parseCallerLine, parseCallScript } from './call-script.parser';
import { compactJson, ConversationSummary, ConversationTracker } from './conversation.tracker';
import { HUMAN_BEHAVIOURS, HumanBehaviour } from './human-leg.simulator';
import { SimulatorException, SimulatorExceptionCode } from './simulator.exception';
import { SimulatedCallStats, SimulatedTwilioCall, StreamClosed, TransferEvent, TransferRecord } from './twilio-call.simulator';
import { SimulatedTwilioRest } from './twilio-rest.simulator';
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
  --human <behaviour>    what the person a transfer dials does: answers (default), no-answer,
                         busy or failed
Without --script/--say: type at the "you> " prompt; /hangup, /dtmf <digits>, Ctrl-D hangs up.
Signs requests with TWILIO_AUTH_TOKEN when set. When TWILIO_API_BASE_URL is a local address
with a port (the service's Twilio REST client pointed at a simulated Twilio, e.g.
http://127.0.0.1:4100), plays Twilio's REST API there too, for TWILIO_ACCOUNT_SID and
TWILIO_AUTH_TOKEN: transfers to a person ring, whisper, and fall back as at Twilio.`;

export const EXIT = { ok: 0, usage: 1, refused: 2, violations: 3, timeout: 4, wrongProvider: 5 } as const;

export type ProviderWire = 'assemblyai' | 'openai';

export interface TwilioRestEndpoint {
  host: string;
  port: number;
  accountSid: string;
  authToken: string;
}

export interface CallCliOptions {
  baseUrl: string;
  publicBaseUrl?: string;
  authToken?: string;
  accountSid?: string;
  /** Where to play Twilio's REST API (from TWILIO_API_BASE_URL), when the service is pointed at a local one. */
  twilioRest?: TwilioRestEndpoint;
  human?: HumanBehaviour;
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
    accountSid: env.TWILIO_ACCOUNT_SID || undefined,
    twilioRest: localTwilioRest(env),
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
      case '--human':
        if (!(HUMAN_BEHAVIOURS as readonly string[]).includes(value)) throw new Error(`--human is one of ${HUMAN_BEHAVIOURS.join(', ')}`);
        options.human = value as HumanBehaviour;
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

/** TWILIO_API_BASE_URL naming this machine with a port: the service's REST client expects a simulated Twilio there. */
export function localTwilioRest(env: NodeJS.ProcessEnv): TwilioRestEndpoint | undefined {
  if (!env.TWILIO_API_BASE_URL || !env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN) return undefined;
  let url: URL;
  try {
    url = new URL(env.TWILIO_API_BASE_URL);
  } catch {
    throw new Error(`TWILIO_API_BASE_URL is not a URL: ${JSON.stringify(env.TWILIO_API_BASE_URL)}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'http:' || url.port === '' || !['127.0.0.1', 'localhost', '::1'].includes(host)) return undefined;
  return {
    host: host === 'localhost' ? '127.0.0.1' : host,
    port: Number(url.port),
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
  };
}

export function summaryLine(
  conversation: ConversationSummary,
  stats: SimulatedCallStats,
  durationMs: number,
  transfers: readonly TransferRecord[] = [],
): string {
  const handoffs = conversation.handoffs.length === 0 ? 'no handoff' : `handoffs ${conversation.handoffs.join(', ')}`;
  const outcome = (conversation.transferredToHuman ? ', transferred to human' : '') + transfers.map(transferOutcome).join('');
  return (
    `summary: ${count(conversation.callerTurns, 'caller turn')}, ${count(conversation.agentTurns, 'agent turn')}, ` +
    `${count(conversation.toolCalls, 'tool call')}, ${handoffs}, ${count(conversation.interruptions, 'interruption')}${outcome}; ` +
    `audio ${stats.received.mediaFrames} frames received (${(stats.received.audioMs / 1000).toFixed(1)} s), ${stats.sent.mediaFrames} sent, ` +
    `${count(stats.received.clears, 'clear')}, ${count(stats.protocolViolations, 'protocol violation')}; ${(durationMs / 1000).toFixed(1)} s`
  );
}

function transferOutcome(transfer: TransferRecord): string {
  if (transfer.kind === 'enqueue') return `, enqueued in ${transfer.target}`;
  const back = transfer.rejoinedStreamSid ? ', back to the agent' : '';
  return `, dialled ${transfer.target} (${transfer.dialStatus ?? 'no outcome'}${back})`;
}

/** How a transfer's outcome reads, as it happens. */
export function transferLines(transfer: TransferEvent): string[] {
  if (transfer.kind === 'enqueue') return [`transfer: enqueued in ${transfer.target}`];
  if (transfer.dialStatus === 'answered' || transfer.dialStatus === 'completed') {
    const whisper = transfer.whisper === undefined ? 'no whisper to the human' : `whisper to the human: '${transfer.whisper}'`;
    return [`transfer: dialing ${transfer.target}, ${whisper}`];
  }
  return [`transfer: dialing ${transfer.target}`];
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
  private rejoinsSeen = 0;
  /** A dial nobody answered: told once we know whether the caller comes back to the agent. */
  private unanswered?: TransferEvent;

  constructor(
    readonly options: CallCliOptions,
    readonly control: LocalProviderControlClient,
    readonly twilioRest?: SimulatedTwilioRest,
  ) {
    this.call = new SimulatedTwilioCall({
      baseUrl: options.baseUrl,
      publicBaseUrl: options.publicBaseUrl,
      authToken: options.authToken,
      accountSid: options.accountSid,
      from: options.from,
      to: options.to,
      twilioRest,
      human: options.human,
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
    this.call.on('close', (closed) => this.showClose(closed));
    this.call.on('stream-stopped', (stopped) =>
      this.terminal.print(`Media Stream ${stopped.streamSid} stopped: the service moved the call through Twilio's REST API`),
    );
    this.call.on('say', (text) => this.terminal.print(`twilio says to the caller: '${text}'`));
    this.call.on('twiml-error', (error) => this.terminal.print(`TWIML ERROR: ${error.reason}`));
    this.call.on('transfer', (transfer) => {
      transferLines(transfer).forEach((line) => this.terminal.print(line));
      const task = transfer.kind === 'enqueue' ? this.call.transfers.at(-1)?.enqueue?.task : undefined;
      if (task !== undefined) this.terminal.print(`  task attributes: ${compactJson(task)}`);
      if (transfer.kind === 'dial' && transfer.dialStatus !== 'answered' && transfer.dialStatus !== 'completed') this.unanswered = transfer;
    });
    this.call.on('rejoined', (rejoined) => {
      if (this.unanswered) this.terminal.print(`the human did not answer (${this.unanswered.dialStatus}): back to the agent`);
      this.unanswered = undefined;
      this.terminal.print(`rejoined: new Media Stream ${rejoined.streamSid}`);
      this.tracker.resumed();
    });
  }

  private showClose(closed: StreamClosed): void {
    const transfer = this.call.transfers.at(-1);
    if (this.unanswered) {
      this.terminal.print(`the human did not answer (${this.unanswered.dialStatus}); call ended (${closed.reason})`);
      this.unanswered = undefined;
    } else if (transfer && !transfer.rejoinedStreamSid && transfer.kind === 'dial' && transfer.dialStatus === 'completed') {
      this.terminal.print('with a person (answered); call ended');
    } else if (transfer && !transfer.rejoinedStreamSid && transfer.kind === 'enqueue') {
      this.terminal.print(`waiting in queue ${transfer.target} for a person; call ended`);
    } else if (closed.code === 1011 && this.call.twimlErrors.length > 0) {
      this.terminal.print(`call ended by Twilio after an application error (${closed.reason})`);
    } else if (closed.by === 'service') {
      this.terminal.print(`call ended by the service (Media Stream closed, code ${closed.code})`);
    }
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

  /** With Twilio's REST API played here, a session that ends may be a transfer starting: only the call's end counts. */
  get over(): boolean {
    return this.call.currentPhase === 'closed' || (this.tracker.sessionEnded && !this.twilioRest);
  }

  /** Twilio is running the service's transfer TwiML: the stream is stopped, the caller is with Twilio or a person. */
  get awayFromAgent(): boolean {
    return this.call.currentPhase === 'redirected' || (this.call.currentPhase === 'answered' && this.call.transfers.length > 0);
  }

  get transferring(): boolean {
    return this.tracker.transferredToHuman || this.awayFromAgent;
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
    while (!this.over && !this.awayFromAgent) {
      const now = performance.now();
      const idle = this.tracker.isAgentIdle(now, this.options.quietMs, this.lastSaidAt) && this.call.stats().playback.queuedMs === 0;
      // an ended session with the call still up: the service is about to end the call or move it
      if (idle && !this.tracker.sessionEnded) {
        return;
      }
      if (now >= deadline) {
        this.terminal.print(`(the agent did not finish a turn within ${this.options.turnTimeoutMs} ms; going on)`);
        return;
      }
      await delay(100);
    }
  }

  /**
   * After a transfer to a human a caller stays on the line until the call ends (with a person, in a
   * queue) or they are back with the agent on a new Media Stream. True when they are back.
   */
  async waitForTransfer(): Promise<boolean> {
    const limitMs = this.options.turnTimeoutMs + this.ringAllowanceMs();
    const deadline = performance.now() + limitMs;
    while (!this.over) {
      if (this.call.rejoins.length > this.rejoinsSeen && this.call.currentPhase === 'streaming') {
        this.rejoinsSeen = this.call.rejoins.length;
        return true;
      }
      if (performance.now() >= deadline) {
        this.terminal.print(`(the call neither ended nor came back to the agent within ${limitMs} ms of the transfer)`);
        return false;
      }
      await delay(100);
    }
    return false;
  }

  /** The Dial timeout bounds how long a transfer may ring before the caller is back. */
  private ringAllowanceMs(): number {
    return (this.call.transfers.at(-1)?.dial?.timeoutSeconds ?? 0) * 1000;
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
    await this.twilioRest?.close();
    this.terminal.print(summaryLine(this.tracker.summary(), this.call.stats(), this.terminal.elapsedMs(), this.call.transfers));
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
    // a transfer nobody takes brings the caller back to the agent, and the script goes on
    while (session.transferring && !session.over) {
      if (!(await session.waitForTransfer())) break;
      await session.waitForAgentTurn();
    }
    if (session.over || session.transferring) {
      break;
    }
    await session.perform(step);
  }
  await session.waitForAgentTurn();
  while (session.transferring && !session.over && (await session.waitForTransfer())) {
    await session.waitForAgentTurn();
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

  let twilioRest: SimulatedTwilioRest | undefined;
  if (options.twilioRest) {
    const { host, port, accountSid, authToken } = options.twilioRest;
    try {
      twilioRest = await SimulatedTwilioRest.start({ host, port, accountSid, authToken });
    } catch (error) {
      await control.close();
      const hint = /EADDRINUSE/.test(errorMessage(error)) ? ' (is another `npm run call` playing it?)' : '';
      process.stderr.write(`call: cannot play Twilio's REST API on ${host}:${port} (TWILIO_API_BASE_URL): ${errorMessage(error)}${hint}\n`);
      return EXIT.refused;
    }
  }

  const session = new CallSession({ ...options, accountSid: options.twilioRest?.accountSid ?? options.accountSid }, control, twilioRest);
  if (twilioRest) {
    session.terminal.print(`simulated Twilio REST API on ${twilioRest.url} (the person a transfer dials: ${options.human ?? 'answers'})`);
  }
  try {
    await session.dial();
  } catch (error) {
    await control.close();
    await twilioRest?.close();
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
