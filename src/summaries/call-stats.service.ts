import { Injectable } from '@nestjs/common';
import { CallStatsRepository } from './call-stats.repository';
import { CallStats, callStatsFrom, callsOverTimeBucket } from './call-stats.rules';

const DEFAULT_RANGE_MS = 7 * 24 * 3600 * 1000;

@Injectable()
export class CallStatsService {
  constructor(private readonly repository: CallStatsRepository) {}

  /** Over calls started in [from, to); the range defaults to the last 7 days. */
  async stats(range: { from?: Date; to?: Date }): Promise<CallStats> {
    const to = range.to ?? new Date();
    const from = range.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS);
    return callStatsFrom(await this.repository.figures(from, to, callsOverTimeBucket(from, to)), from, to);
  }
}
