import { Module } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { UpgradeGuards } from '../common/upgrade-guards';
import { SessionsModule } from '../sessions/sessions.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallStatusUpdateEntity } from '../persistence/entities/call-status-update.entity';
import { CallStatusService } from './call-status.service';
import { WarmTransfers } from './warm-transfers.service';
import { MediaStreamTickets } from './media-stream-tickets.service';
import { MEDIA_STREAM_PATH, MediaStreamGateway } from './media-stream.gateway';
import { MediaStreamUpgradeGuard } from './media-stream-upgrade.guard';
import { TwilioCallControl } from './twilio-call-control.service';
import { TwilioRateLimitGuard } from './twilio-rate-limit.guard';
import { TwilioRequestLimiter } from './twilio-request.limiter';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioSignatureVerifier } from './twilio-signature.verifier';
import { TwilioWebhookController } from './twilio-webhook.controller';

/** The upgrade guards of the WebSocket paths this module serves; the app root merges every module's. */
export const TELEPHONY_UPGRADE_GUARDS = Symbol('TELEPHONY_UPGRADE_GUARDS');

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
    WarmTransfers,
    MediaStreamGateway,
    {
      provide: TELEPHONY_UPGRADE_GUARDS,
      inject: [MediaStreamUpgradeGuard],
      useFactory: (guard: MediaStreamUpgradeGuard): UpgradeGuards => ({
        [MEDIA_STREAM_PATH]: (request: IncomingMessage) => guard.check(request),
      }),
    },
  ],
  exports: [TELEPHONY_UPGRADE_GUARDS],
})
export class TelephonyModule {}
