import { Injectable } from '@nestjs/common';
import { CallStatsRepository } from './call-stats.repository';
import { CallStats, callStatsFrom, callsOverTimeBucket } from './call-stats.rules';

@Injectable()
export class CallStatsService {
  constructor(private readonly repository: CallStatsRepository) {}

  /** Over calls started in [from, to) (statsRange decides the range). */
  async stats({ from, to }: { from: Date; to: Date }): Promise<CallStats> {
    return callStatsFrom(await this.repository.figures(from, to, callsOverTimeBucket(from, to)), from, to);
  }
}
