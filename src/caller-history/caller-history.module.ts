import { Module } from '@nestjs/common';
import { callerHistoryRedisProvider } from './caller-history.redis';
import { CallerHistoryService } from './caller-history.service';

/** Returning callers: what earlier calls from the same number were about, keyed by an HMAC of it. */
@Module({
  providers: [callerHistoryRedisProvider, CallerHistoryService],
  exports: [CallerHistoryService],
})
export class CallerHistoryModule {}
