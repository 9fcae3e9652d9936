import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { SocketWatchdog } from '../common/socket-watchdog';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../operations/metrics.service';
import { CallSessionService } from '../sessions/call-session.service';
import { MediaStreamCollaborators, MediaStreamConnection } from './media-stream.connection';
import { MediaStreamTickets } from './media-stream-tickets.service';
import { SpokenPrompts } from './spoken-prompts';
import { TwilioCallControl } from './twilio-call-control.service';

export const MEDIA_STREAM_PATH = '/twilio/media-stream';
/** How often every Media Stream is looked at (silence, a missing start, a ping due). */
const WATCH_INTERVAL_MS = 1000;

/** Twilio Media Streams. The upgrade is signature-checked before it gets here (TelephonyModule). */
@WebSocketGateway({ path: MEDIA_STREAM_PATH, maxPayload: 1024 * 1024, perMessageDeflate: false })
export class MediaStreamGateway implements OnGatewayConnection {
  private readonly collaborators: MediaStreamCollaborators;

  constructor(
    sessions: CallSessionService,
    callControl: TwilioCallControl,
    tickets: MediaStreamTickets,
    metrics: MetricsService,
    config: AppConfig,
  ) {
    this.collaborators = {
      sessions,
      callControl,
      tickets,
      metrics,
      prompts: SpokenPrompts.load(),
      watchdog: new SocketWatchdog(Math.min(WATCH_INTERVAL_MS, config.env.SOCKET_PING_INTERVAL_MS)),
      settings: { idleTimeoutMs: config.env.MEDIA_STREAM_IDLE_TIMEOUT_MS, pingIntervalMs: config.env.SOCKET_PING_INTERVAL_MS },
    };
  }

  handleConnection(socket: WebSocket, _request: IncomingMessage): void {
    new MediaStreamConnection(socket, this.collaborators).attach();
  }
}
