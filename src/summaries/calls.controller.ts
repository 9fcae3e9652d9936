import { Controller, Get, NotFoundException, Param, Query, ServiceUnavailableException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiServiceUnavailableResponse({ description: 'The call is not stored yet and Redis cannot be reached (code call_journal_unavailable)' })
  async detail(@Param('id') id: string): Promise<CallDetailView> {
    const lookup = await this.calls.detail(id);
    if (lookup.status === 'journal-unavailable') {
      throw new ServiceUnavailableException({
        code: 'call_journal_unavailable',
        message: `Call ${id} is not stored yet and its live record cannot be read right now; try again shortly`,
      });
    }
    if (lookup.status === 'not-found') throw new NotFoundException(`Call ${id} not found`);
    return lookup.call;
  }
}
