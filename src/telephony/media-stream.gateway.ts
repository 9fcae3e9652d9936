import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { MetricsService } from '../operations/metrics.service';
import { CallSessionService } from '../sessions/call-session.service';
import { MediaStreamConnection } from './media-stream.connection';
import { TwilioCallControl } from './twilio-call-control.service';

export const MEDIA_STREAM_PATH = '/twilio/media-stream';

/** Twilio Media Streams. The upgrade is signature-checked before it gets here (TelephonyModule). */
@WebSocketGateway({ path: MEDIA_STREAM_PATH, maxPayload: 1024 * 1024, perMessageDeflate: false })
export class MediaStreamGateway implements OnGatewayConnection {
  constructor(
    private readonly sessions: CallSessionService,
    private readonly callControl: TwilioCallControl,
    private readonly metrics: MetricsService,
  ) {}

  handleConnection(socket: WebSocket, _request: IncomingMessage): void {
    new MediaStreamConnection(socket, { sessions: this.sessions, callControl: this.callControl, metrics: this.metrics }).attach();
  }
}
