import { Logger } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '../../../src/config/app-config';
import { validateEnvironment } from '../../../src/config/environment';
import { MetricsService } from '../../../src/operations/metrics.service';
import { TwilioRequestLimiter } from '../../../src/telephony/twilio-request.limiter';

describe('TwilioRequestLimiter', () => {
  let storage: ThrottlerStorageService;
  let metrics: MetricsService;
  let warnings: jest.SpyInstance;

  function limiter(env: Record<string, string> = {}): TwilioRequestLimiter {
    const config = new AppConfig(validateEnvironment({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }));
    return new TwilioRequestLimiter(storage, config, metrics);
  }

  async function admitTimes(subject: TwilioRequestLimiter, source: string, times: number) {
    const verdicts = [];
    for (let index = 0; index < times; index++) verdicts.push(await subject.admit(source));
    return verdicts;
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-11-17T10:00:00Z') });
    storage = new ThrottlerStorageService();
    metrics = new MetricsService();
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warnings.mockRestore();
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('admits a source up to its request budget per minute, then refuses it until the window moves on', async () => {
    const subject = limiter({ TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE: '3' });
    expect(await admitTimes(subject, '203.0.113.9', 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: false, budget: 'requests', retryAfterSeconds: 60 });
    expect(await subject.admit('198.51.100.1')).toEqual({ allowed: true });

    jest.advanceTimersByTime(45_000);
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: false, budget: 'requests', retryAfterSeconds: 15 });
    jest.advanceTimersByTime(15_001);
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: true });
  });

  it('blocks a source for the window once it spent its failed-signature budget, whatever its request budget', async () => {
    const subject = limiter({ TWILIO_FAILED_SIGNATURES_PER_MINUTE_PER_SOURCE: '2' });
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: true });
    await subject.recordFailedSignature('203.0.113.9');
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: true });
    await subject.recordFailedSignature('203.0.113.9');
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: false, budget: 'failed-signatures', retryAfterSeconds: 60 });
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(warnings.mock.calls[0][0]).toMatchObject({
      source: '203.0.113.9',
      failures: 2,
      msg: expect.stringContaining('failed Twilio signature checks'),
    });
    expect(await subject.admit('198.51.100.1')).toEqual({ allowed: true });

    jest.advanceTimersByTime(30_000);
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: false, budget: 'failed-signatures', retryAfterSeconds: 30 });
    jest.advanceTimersByTime(30_000);
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: true });
    // The failures that spent the budget left the window with the block: one more is not enough.
    await subject.recordFailedSignature('203.0.113.9');
    expect(await subject.admit('203.0.113.9')).toEqual({ allowed: true });
  });

  it('counts refusals by budget', async () => {
    const subject = limiter({ TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE: '1', TWILIO_FAILED_SIGNATURES_PER_MINUTE_PER_SOURCE: '1' });
    await admitTimes(subject, '203.0.113.9', 3);
    await subject.recordFailedSignature('198.51.100.1');
    await subject.admit('198.51.100.1');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^voice_agent_twilio_requests_limited_total\{budget="requests"\} 2$/m);
    expect(text).toMatch(/^voice_agent_twilio_requests_limited_total\{budget="failed-signatures"\} 1$/m);
  });
});
