import { Module } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { UpgradeGuard } from '../common/guarded-ws.adapter';
import { UPGRADE_GUARDS } from '../common/upgrade-guards';
import { SessionsModule } from '../sessions/sessions.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallStatusUpdateEntity } from '../persistence/entities/call-status-update.entity';
import { CallStatusService } from './call-status.service';
import { MediaStreamTickets } from './media-stream-tickets.service';
import { MEDIA_STREAM_PATH, MediaStreamGateway } from './media-stream.gateway';
import { MediaStreamUpgradeGuard } from './media-stream-upgrade.guard';
import { TwilioCallControl } from './twilio-call-control.service';
import { TwilioRateLimitGuard } from './twilio-rate-limit.guard';
import { TwilioRequestLimiter } from './twilio-request.limiter';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioSignatureVerifier } from './twilio-signature.verifier';
import { TwilioWebhookController } from './twilio-webhook.controller';

@Module({
  imports: [SessionsModule, TypeOrmModule.forFeature([CallStatusUpdateEntity])],
  controllers: [TwilioWebhookController],
  providers: [
    TwilioSignatureVerifier,
    TwilioSignatureGuard,
    TwilioRequestLimiter,
    TwilioRateLimitGuard,
    MediaStreamUpgradeGuard,
    TwilioCallControl,
    CallStatusService,
    MediaStreamTickets,
    MediaStreamGateway,
    {
      provide: UPGRADE_GUARDS,
      inject: [MediaStreamUpgradeGuard],
      useFactory: (guard: MediaStreamUpgradeGuard): Record<string, UpgradeGuard> => ({
        [MEDIA_STREAM_PATH]: (request: IncomingMessage) => guard.check(request),
      }),
    },
  ],
  exports: [UPGRADE_GUARDS],
})
export class TelephonyModule {}
