import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/roles';
import { Page, pageOf } from '../../common/pagination.dto';
import { HandoffLogEntry } from '../handoff.types';
import { HandoffLogQuery } from './handoff-log-query.dto';
import { HandoffPage } from './handoff-log.response';
import { HandoffLogService } from './handoff-log.service';

@ApiTags('handoffs')
@Controller('handoffs')
export class HandoffLogController {
  constructor(private readonly handoffs: HandoffLogService) {}

  @Get()
  @RequireRole('supervisor')
  @ApiOperation({
    summary: 'Handoff log, newest first',
    description: 'Every handoff attempt: applied, refused (with its code) or cancelled by a barge-in.',
  })
  @ApiOkResponse({ type: HandoffPage })
  async list(@Query() query: HandoffLogQuery): Promise<Page<HandoffLogEntry>> {
    const { page, pageSize, since, until, ...filter } = query;
    const { items, total } = await this.handoffs.find(
      { ...filter, since: since === undefined ? undefined : new Date(since), until: until === undefined ? undefined : new Date(until) },
      { offset: (page - 1) * pageSize, limit: pageSize },
    );
    return pageOf(items, total, query);
  }
}
