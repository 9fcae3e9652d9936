import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/roles';
import { CallJournalReader } from '../call-journal/call-journal.reader';
import { CallsService } from './calls.service';
import { CallDetailView, CallPage, LiveCallView } from './dtos/call.response';
import { CallsQuery } from './dtos/calls.query.dto';

@ApiTags('calls')
@RequireRole('supervisor')
@Controller('calls')
export class CallsController {
  constructor(
    private readonly calls: CallsService,
    private readonly journal: CallJournalReader,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Finished calls, newest first, filterable by call SID, start time, department visited and outcome' })
  @ApiOkResponse({ type: CallPage })
  list(@Query() query: CallsQuery): Promise<CallPage> {
    return this.calls.list(query);
  }

  // Declared before :id so "live" is not taken for a call id.
  @Get('live')
  @ApiOperation({ summary: 'Calls on a line right now, across all instances' })
  @ApiOkResponse({ type: [LiveCallView] })
  live(): Promise<LiveCallView[]> {
    return this.journal.liveCalls();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One call with its events in order, its handoffs and its summary (null until written)' })
  @ApiOkResponse({ type: CallDetailView })
  @ApiNotFoundResponse({ description: 'No such call' })
  async detail(@Param('id') id: string): Promise<CallDetailView> {
    const call = await this.calls.detail(id);
    if (!call) throw new NotFoundException(`Call ${id} not found`);
    return call;
  }
}
