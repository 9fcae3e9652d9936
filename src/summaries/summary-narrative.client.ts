import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CallSummary } from './call-summary.types';
import { redactedAndCapped } from '../privacy/storable-redacted';
import { describeError, fieldLogger } from '../common/field-logger';

const TIMEOUT_MS = 5000;
const MAX_NARRATIVE_CHARS = 2000;
const INSTRUCTIONS =
  'You write post-call notes for contact-center supervisors. From the JSON summary of one call, write 2-4 plain sentences: why the customer called, what was done (with order, refund and ticket ids), the outcome, and anything left open. No greetings, no lists, no invented details.';

/** An OpenAI-compatible chat completion endpoint that turns a structured summary into a short narrative. */
@Injectable()
export class SummaryNarrativeClient {
  private readonly logger = fieldLogger(new Logger(SummaryNarrativeClient.name));

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.env.SUMMARY_LLM_URL && this.config.env.SUMMARY_LLM_MODEL);
  }

  /** The narrative, or null when no endpoint is configured or it fails (the structured summary stands). */
  async narrate(summary: CallSummary): Promise<string | null> {
    const { SUMMARY_LLM_URL: url, SUMMARY_LLM_MODEL: model, SUMMARY_LLM_API_KEY: apiKey } = this.config.env;
    if (!url || !model) return null;
    try {
      const response = await fetch(`${url.replace(/\/+$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({
          model,
          temperature: 0.2,
          max_tokens: 300,
          messages: [
            { role: 'system', content: INSTRUCTIONS },
            { role: 'user', content: JSON.stringify(summary) },
          ],
        }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
      const content = body.choices?.[0]?.message?.content;
      if (typeof content !== 'string' || content.trim() === '') throw new Error('the answer has no message content');
      return redactedAndCapped(content.trim(), MAX_NARRATIVE_CHARS).text;
    } catch (error) {
      this.logger.warn('Summary narrative skipped; structured summary kept', { callSid: summary.callSid, error: describeError(error) });
      return null;
    }
  }
}
