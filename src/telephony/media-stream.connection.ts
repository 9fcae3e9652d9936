import { Logger } from '@nestjs/common';
import WebSocket, { RawData } from 'ws';
import { MetricsService } from '../operations/metrics.service';
import { CallSession } from '../sessions/call-session';
import { CallRefusedError, CallSessionService } from '../sessions/call-session.service';
import { TelephonyLeg } from '../sessions/call-session.ports';
import { clearFrame, FrameRejection, markFrame, OUTBOUND_MEDIA_SUFFIX, outboundMediaPrefix, parseTwilioFrame, TwilioStreamEvent } from './media-stream-frame';
import { TwilioCallControl } from './twilio-call-control.service';

/** Past this much unsent audio the caller's connection is not keeping up: drop, don't queue. */
const MAX_BUFFERED_OUTBOUND_BYTES = 512 * 1024;
const LOGGED_REJECTIONS_PER_CALL = 5;

export interface MediaStreamCollaborators {
  sessions: CallSessionService;
  callControl: TwilioCallControl;
  metrics: MetricsService;
}

/**
 * One Twilio Media Stream socket. Parses and routes frames; the call session decides.
 * Nothing a peer sends can throw out of here: bad frames are counted, logged and ignored.
 */
export class MediaStreamConnection {
  private readonly logger = new Logger('MediaStream');
  private session?: CallSession;
  private starting = false;
  private streamSid = '';
  private mediaPrefix = '';
  private rejections = 0;
  private readonly frames: MetricsService['relayedFrames'];

  constructor(
    private readonly socket: WebSocket,
    private readonly collaborators: MediaStreamCollaborators,
  ) {
    this.frames = collaborators.metrics.relayedFrames;
  }

  attach(): void {
    this.socket.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    this.socket.on('close', () => this.onClose());
    this.socket.on('error', (error) => this.logger.warn({ callSid: this.session?.callSid, error: error.message, msg: 'Media Stream socket error' }));
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    try {
      if (isBinary) return this.reject('binary');
      const verdict = parseTwilioFrame(data.toString());
      if (!verdict.ok) return this.reject(verdict.reason);
      this.route(verdict.message);
    } catch (error) {
      this.logger.error({ callSid: this.session?.callSid, error: String(error), msg: 'Media Stream frame handling failed' });
    }
  }

  private route(message: TwilioStreamEvent): void {
    switch (message.event) {
      case 'media':
        if (!this.session) {
          // Frames that arrive while the call is being set up are dropped; the provider is not ready for them yet.
          return this.starting ? undefined : this.reject('media-before-start');
        }
        this.frames.callerToAgent += 1;
        this.session.callerAudio(message.payload);
        return;
      case 'connected':
        return;
      case 'start':
        void this.start(message);
        return;
      case 'mark':
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
    this.streamSid = message.streamSid;
    this.mediaPrefix = outboundMediaPrefix(message.streamSid);
    const { customParameters: parameters } = message;
    try {
      this.session = await this.collaborators.sessions.startCall({
        callSid: message.callSid,
        streamSid: message.streamSid,
        from: parameters.from ?? '',
        to: parameters.to ?? '',
        leg: this.leg(message.callSid),
      });
      if (this.socket.readyState !== WebSocket.OPEN) void this.collaborators.sessions.endCall(this.session, 'hangup');
    } catch (error) {
      const refused = error instanceof CallRefusedError;
      this.logger.warn({ callSid: message.callSid, error: String(error), msg: refused ? 'Call refused' : 'Call could not start' });
      this.socket.close(refused ? 1013 : 1011, refused ? 'try again later' : 'call could not start');
    }
  }

  private onClose(): void {
    if (this.session && !this.session.ended) void this.collaborators.sessions.endCall(this.session, 'hangup');
  }

  private leg(callSid: string): TelephonyLeg {
    return {
      sendAudio: (base64Audio) => {
        if (this.socket.readyState !== WebSocket.OPEN || this.socket.bufferedAmount > MAX_BUFFERED_OUTBOUND_BYTES) return;
        this.socket.send(this.mediaPrefix + base64Audio + OUTBOUND_MEDIA_SUFFIX);
        this.frames.agentToCaller += 1;
      },
      clearAudio: () => this.sendControl(clearFrame(this.streamSid)),
      mark: (name) => this.sendControl(markFrame(this.streamSid, name)),
      transferToHuman: async ({ reason, summary }) => {
        const result = await this.collaborators.callControl.transferToHuman(callSid, reason, summary);
        // Local mode: nothing moved at Twilio, so tell the (simulated) caller what happened.
        if (!result.transferred) this.sendControl(markFrame(this.streamSid, 'human-transfer-recorded'));
        return result;
      },
      close: (reason) => {
        if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, reason.slice(0, 120));
      },
    };
  }

  private sendControl(frame: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  private reject(reason: FrameRejection | 'media-before-start' | 'duplicate-start'): void {
    this.collaborators.metrics.mediaStreamErrors.inc({ reason });
    this.rejections += 1;
    if (this.rejections <= LOGGED_REJECTIONS_PER_CALL) {
      this.logger.warn({ callSid: this.session?.callSid, reason, msg: 'Ignored a bad Media Stream frame' });
    }
  }
}
