import { Logger } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { describeError, fieldLogger } from '../../common/field-logger';
import { ListenHubService } from './listen-hub.service';
import { chooseListenSubprotocol, LISTEN_PATH, parseListenRequest } from './listen-request.rules';
import { ListenUpgradeGuard } from './listen-upgrade.guard';

/** Supervisors listening to a live call. The upgrade is authenticated before it gets here (ListenUpgradeGuard). */
@WebSocketGateway({
  path: LISTEN_PATH,
  perMessageDeflate: false,
  // Listeners send nothing; closing the socket is all they ever do.
  maxPayload: 4096,
  handleProtocols: (offered: Set<string>) => chooseListenSubprotocol(offered),
})
export class ListenGateway implements OnGatewayConnection {
  private readonly logger = fieldLogger(new Logger(ListenGateway.name));

  constructor(
    private readonly hub: ListenHubService,
    private readonly guard: ListenUpgradeGuard,
  ) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    try {
      const role = this.guard.roleOf(request);
      if (!role) {
        socket.close(1008, 'unauthorized');
        return;
      }
      const parsed = parseListenRequest(request.url);
      if (!parsed.ok) {
        this.hub.refuse(socket, parsed);
        return;
      }
      void this.hub.listen(socket, parsed.callSid, { role, name: parsed.supervisorName });
    } catch (error) {
      this.logger.error('A listener could not be started', { error: describeError(error) });
      socket.close(1011, 'internal error');
    }
  }
}
