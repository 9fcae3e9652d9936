import { Injectable } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { validateRequest } from 'twilio';
import { AppConfig } from '../config/app-config';
import { UpgradeVerdict } from '../common/guarded-ws.adapter';

/** X-Twilio-Signature checks, over the URL Twilio used (PUBLIC_BASE_URL), via the twilio package. */
@Injectable()
export class TwilioSignatureVerifier {
  constructor(private readonly config: AppConfig) {}

  get enforced(): boolean {
    return this.config.twilioSignaturesRequired;
  }

  verifyWebhook(signature: string | undefined, pathWithQuery: string, params: Record<string, unknown>): boolean {
    if (!this.enforced) return true;
    if (!signature) return false;
    return validateRequest(this.config.env.TWILIO_AUTH_TOKEN!, signature, `${this.config.publicBaseUrl}${pathWithQuery}`, params);
  }

  verifyUpgrade(request: IncomingMessage): UpgradeVerdict {
    if (!this.enforced) return { allowed: true };
    const signature = request.headers['x-twilio-signature'];
    const url = `${this.config.publicBaseUrl.replace(/^http/, 'ws')}${request.url ?? ''}`;
    if (typeof signature === 'string' && validateRequest(this.config.env.TWILIO_AUTH_TOKEN!, signature, url, {})) return { allowed: true };
    return { allowed: false, status: 403, message: 'Invalid or missing X-Twilio-Signature' };
  }
}
