import { Logger } from '@nestjs/common';
import WebSocket, { RawData } from 'ws';
import { SocketWatchdog, WatchedSocket } from '../common/socket-watchdog';
import { MetricsService } from '../operations/metrics.service';
import { CallSession } from '../sessions/call-session';
import { CallRefusedError, CallSessionService } from '../sessions/call-session.service';
import { SpokenPrompt, TelephonyLeg } from '../sessions/call-session.ports';
import {
  clearFrame,
  FrameRejection,
  markFrame,
  OUTBOUND_MEDIA_SUFFIX,
  outboundMediaPrefix,
  parseTwilioFrame,
  TwilioStreamEvent,
} from './media-stream-frame';
import { MediaStreamTickets } from './media-stream-tickets.service';
import { streamLiveness } from './media-stream-liveness';
import { SpokenPrompts } from './spoken-prompts';
import { TwilioCallControl } from './twilio-call-control.service';
import { fieldLogger } from '../common/field-logger';

/** Past this much unsent audio the caller's connection is not keeping up: drop, don't queue. */
const MAX_BUFFERED_OUTBOUND_BYTES = 512 * 1024;
const LOGGED_REJECTIONS_PER_CALL = 5;
/** A prompt's mark normally comes back as its audio ends; past this margin we stop waiting. */
const PROMPT_ECHO_MARGIN_MS = 1500;

export interface MediaStreamCollaborators {
  sessions: CallSessionService;
  callControl: TwilioCallControl;
  tickets: MediaStreamTickets;
  prompts: SpokenPrompts;
  metrics: MetricsService;
  watchdog: SocketWatchdog;
  settings: { idleTimeoutMs: number; pingIntervalMs: number };
}

type StreamRejection = FrameRejection | 'media-before-start' | 'duplicate-start';

/**
 * One Twilio Media Stream socket. Parses and routes frames; the call session decides.
 * Nothing a peer sends can throw out of here: bad frames are counted, logged and ignored.
 */
export class MediaStreamConnection implements WatchedSocket {
  private readonly logger = fieldLogger(new Logger('MediaStream'));
  private session?: CallSession;
  private starting = false;
  private streamSid = '';
  private mediaPrefix = '';
  private rejections = 0;
  private promptsPlayed = 0;
  private readonly markWaiters = new Map<string, () => void>();
  private readonly openedAt: number;
  private startedAt: number | undefined;
  private lastMediaAt: number | undefined;
  private wentSilent = false;
  private lastPingAt: number;
  private readonly frames: MetricsService['relayedFrames'];

  constructor(
    private readonly socket: WebSocket,
    private readonly collaborators: MediaStreamCollaborators,
  ) {
    this.frames = collaborators.metrics.relayedFrames;
    this.openedAt = collaborators.watchdog.now;
    this.lastPingAt = this.openedAt;
  }

  attach(): void {
    this.socket.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    this.socket.on('close', () => this.onClose());
    this.socket.on('error', (error) =>
      this.logger.warn('Media Stream socket error', { callSid: this.session?.callSid, error: error.message }),
    );
    this.collaborators.watchdog.watch(this);
  }

  onWatchdogTick(now: number): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const verdict = streamLiveness(
      { now, openedAt: this.openedAt, startedAt: this.startedAt, lastMediaAt: this.lastMediaAt },
      this.collaborators.settings.idleTimeoutMs,
    );
    if (verdict !== 'alive') {
      this.wentSilent = true;
      this.collaborators.metrics.mediaStreamErrors.inc({ reason: verdict });
      this.logger.warn(verdict === 'never-started' ? 'Media Stream sent no start; closing it' : 'Media Stream went silent; closing it', {
        callSid: this.session?.callSid,
        reason: verdict,
      });
      // Terminate, not close: a peer that stopped talking will not answer a closing handshake.
      this.socket.terminate();
      return;
    }
    if (now - this.lastPingAt >= this.collaborators.settings.pingIntervalMs) {
      this.lastPingAt = now;
      this.socket.ping();
    }
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    try {
      if (isBinary) return this.reject('binary');
      const verdict = parseTwilioFrame(data.toString());
      if (!verdict.ok) return this.reject(verdict.reason);
      this.route(verdict.message);
    } catch (error) {
      this.logger.error('Media Stream frame handling failed', { callSid: this.session?.callSid, error: String(error) });
    }
  }

  private route(message: TwilioStreamEvent): void {
    switch (message.event) {
      case 'media':
        if (!this.session) {
          // Frames that arrive while the call is being set up are dropped; the provider is not ready for them yet.
          return this.starting ? undefined : this.reject('media-before-start');
        }
        this.lastMediaAt = this.collaborators.watchdog.now;
        this.frames.callerToAgent += 1;
        this.session.callerAudio(message.payload);
        return;
      case 'connected':
        return;
      case 'start':
        void this.start(message);
        return;
      case 'mark':
        this.markWaiters.get(message.name)?.();
        this.session?.markPlayed(message.name);
        return;
      case 'dtmf':
        this.session?.dtmf(message.digit);
        return;
      case 'stop':
        if (this.session) void this.collaborators.sessions.endCall(this.session, 'twilio-stop');
        return;
      default: {
        const unhandled: never = message;
        return unhandled;
      }
    }
  }

  private async start(message: Extract<TwilioStreamEvent, { event: 'start' }>): Promise<void> {
    if (this.session || this.starting) return this.reject('duplicate-start');
    this.starting = true;
    this.startedAt = this.collaborators.watchdog.now;
    this.streamSid = message.streamSid;
    this.mediaPrefix = outboundMediaPrefix(message.streamSid);
    try {
      const ticket = await this.collaborators.tickets.redeem(message.callSid, message.customParameters.streamToken ?? '');
      if (!ticket.ok) {
        this.collaborators.metrics.mediaStreamErrors.inc({ reason: `stream-${ticket.reason}` });
        this.logger.warn('Media Stream refused: no voice webhook admitted this call with that token', {
          callSid: message.callSid,
          reason: ticket.reason,
        });
        this.socket.close(1008, 'call not admitted');
        return;
      }
      this.session = await this.collaborators.sessions.startCall({
        callSid: message.callSid,
        streamSid: message.streamSid,
        caller: ticket.caller,
        leg: this.leg(message.callSid),
        rejoin: ticket.rejoin,
      });
      if (this.socket.readyState !== WebSocket.OPEN) void this.collaborators.sessions.endCall(this.session, 'hangup');
    } catch (error) {
      const refused = error instanceof CallRefusedError;
      this.logger.warn(refused ? 'Call refused' : 'Call could not start', { callSid: message.callSid, error: String(error) });
      this.socket.close(refused ? 1013 : 1011, refused ? 'try again later' : 'call could not start');
    } finally {
      this.starting = false;
    }
  }

  private onClose(): void {
    this.collaborators.watchdog.unwatch(this);
    for (const resolve of this.markWaiters.values()) resolve();
    if (this.session && !this.session.ended)
      void this.collaborators.sessions.endCall(this.session, this.wentSilent ? 'stream-lost' : 'hangup');
  }

  private leg(callSid: string): TelephonyLeg {
    return {
      sendAudio: (base64Audio) => this.sendAudio(base64Audio),
      clearAudio: () => this.sendControl(clearFrame(this.streamSid)),
      mark: (name) => this.sendControl(markFrame(this.streamSid, name)),
      playPrompt: (prompt) => this.playPrompt(prompt),
      transferToHuman: async ({ reason, summary, cold }) => {
        const result = await this.collaborators.callControl.transferToHuman(callSid, reason, summary, { cold });
        // Local mode: nothing moved at Twilio, so tell the (simulated) caller what happened.
        if (result.status === 'simulated') this.sendControl(markFrame(this.streamSid, 'human-transfer-recorded'));
        return result;
      },
      close: (reason) => {
        if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, reason.slice(0, 120));
      },
    };
  }

  private sendAudio(base64Audio: string): boolean {
    if (this.socket.readyState !== WebSocket.OPEN || this.socket.bufferedAmount > MAX_BUFFERED_OUTBOUND_BYTES) return false;
    this.socket.send(this.mediaPrefix + base64Audio + OUTBOUND_MEDIA_SUFFIX);
    this.frames.agentToCaller += 1;
    return true;
  }

  /** Twilio buffers and plays what we send in order; the mark after the prompt says when it has played. */
  private playPrompt(prompt: SpokenPrompt): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) return Promise.resolve();
    const audio = this.collaborators.prompts.get(prompt);
    const markName = `prompt-${prompt}-${++this.promptsPlayed}`;
    for (const frame of audio.frames) this.sendAudio(frame);
    this.sendControl(markFrame(this.streamSid, markName));
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.markWaiters.delete(markName);
        resolve();
      };
      const timer = setTimeout(done, audio.durationMs + PROMPT_ECHO_MARGIN_MS);
      this.markWaiters.set(markName, done);
    });
  }

  private sendControl(frame: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  private reject(reason: StreamRejection): void {
    this.collaborators.metrics.mediaStreamErrors.inc({ reason });
    this.rejections += 1;
    if (this.rejections <= LOGGED_REJECTIONS_PER_CALL) {
      this.logger.warn('Ignored a bad Media Stream frame', { callSid: this.session?.callSid, reason });
    }
  }
}
