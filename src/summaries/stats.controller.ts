import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/roles';
import { CallStatsService } from './call-stats.service';
import { MAX_STATS_RANGE_DAYS, statsRange } from './call-stats.rules';
import { StatsQuery } from './dtos/stats.query.dto';
import { CallStatsView } from './dtos/stats.response';

@ApiTags('calls')
@RequireRole('supervisor')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: CallStatsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Calls, outcomes, handoff matrix, containment, escalation rate, handle times, refunds and caller-turn latency over a time range',
  })
  @ApiOkResponse({ type: CallStatsView })
  @ApiBadRequestResponse({
    description: `from is not before to, the range spans more than ${MAX_STATS_RANGE_DAYS} days, or a date is not ISO 8601`,
  })
  get(@Query() query: StatsQuery): Promise<CallStatsView> {
    const range = statsRange(
      { from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined },
      new Date(),
    );
    if (!range.ok) {
      throw new BadRequestException({
        message: `Validation failed: ${range.field}`,
        fields: [{ field: range.field, messages: [range.message] }],
      });
    }
    return this.stats.stats(range);
  }
}
