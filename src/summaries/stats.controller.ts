import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/roles';
import { CallStatsService } from './call-stats.service';
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
  @ApiBadRequestResponse({ description: 'from is not before to, or a date is not ISO 8601' })
  get(@Query() query: StatsQuery): Promise<CallStatsView> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) {
      throw new BadRequestException({
        message: 'Validation failed: from',
        fields: [{ field: 'from', messages: ['from must be before to'] }],
      });
    }
    return this.stats.stats({ from, to });
  }
}
