import { Provider } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { UpgradeGuards } from '../../common/upgrade-guards';
import { LISTEN_LEASES } from '../supervision.executor';
import { ListenHubService } from './listen-hub.service';
import { LISTEN_PATH } from './listen-request.rules';
import { ListenTapService } from './listen-tap.service';
import { ListenUpgradeGuard } from './listen-upgrade.guard';
import { ListenGateway } from './listen.gateway';

/** The listen WebSocket's upgrade guard; the app root merges it with every other module's. */
export const LISTEN_UPGRADE_GUARDS = Symbol('LISTEN_UPGRADE_GUARDS');

/** Everything the listen side needs in SupervisionModule (which provides SupervisionCommandBus). */
export const LISTEN_PROVIDERS: Provider[] = [
  ListenTapService,
  { provide: LISTEN_LEASES, useExisting: ListenTapService },
  ListenHubService,
  ListenUpgradeGuard,
  ListenGateway,
  {
    provide: LISTEN_UPGRADE_GUARDS,
    inject: [ListenUpgradeGuard],
    useFactory: (guard: ListenUpgradeGuard): UpgradeGuards => ({
      [LISTEN_PATH]: (request: IncomingMessage) => guard.check(request),
    }),
  },
];
