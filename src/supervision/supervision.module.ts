import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { CallRecordsModule } from '../summaries/call-records.module';
import { LISTEN_PROVIDERS } from './listen/listen.providers';
import { SupervisionCommandBus } from './supervision-command.bus';
import { SupervisionController } from './supervision.controller';
import { SupervisionExecutor } from './supervision.executor';

/**
 * Live supervision: listen, whisper, take over, end. Commands reach the instance holding the
 * call through SupervisionCommandBus; the listen side (owner's tap, listeners' hub, the WebSocket) is in listen/.
 */
@Module({
  imports: [SessionsModule, CallRecordsModule],
  controllers: [SupervisionController],
  providers: [SupervisionCommandBus, SupervisionExecutor, ...LISTEN_PROVIDERS],
  exports: [SupervisionCommandBus],
})
export class SupervisionModule {}
