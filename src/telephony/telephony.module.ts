import { Module } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { UpgradeGuard } from '../common/guarded-ws.adapter';
import { UPGRADE_GUARDS } from '../common/upgrade-guards';
import { SessionsModule } from '../sessions/sessions.module';
import { SummariesModule } from '../summaries/summaries.module';
import { MEDIA_STREAM_PATH, MediaStreamGateway } from './media-stream.gateway';
import { TwilioCallControl } from './twilio-call-control.service';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioSignatureVerifier } from './twilio-signature.verifier';
import { TwilioWebhookController } from './twilio-webhook.controller';

@Module({
  imports: [SessionsModule, SummariesModule],
  controllers: [TwilioWebhookController],
  providers: [
    TwilioSignatureVerifier,
    TwilioSignatureGuard,
    TwilioCallControl,
    MediaStreamGateway,
    {
      provide: UPGRADE_GUARDS,
      inject: [TwilioSignatureVerifier],
      useFactory: (verifier: TwilioSignatureVerifier): Record<string, UpgradeGuard> => ({
        [MEDIA_STREAM_PATH]: (request: IncomingMessage) => verifier.verifyUpgrade(request),
      }),
    },
  ],
  exports: [UPGRADE_GUARDS],
})
export class TelephonyModule {}
