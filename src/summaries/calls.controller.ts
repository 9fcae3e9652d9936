import { Controller, Get, MessageEvent, NotFoundException, Param, Query, ServiceUnavailableException, Sse } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { RequireRole } from '../auth/roles';
import { CallsService } from './calls.service';
import { CallDetailView, CallPage, LiveCallsUpdateView, LiveCallView } from './dtos/call.response';
import { CallsQuery } from './dtos/calls.query.dto';
import { LIVE_CALLS_EVENT, LiveCallsFeed } from './live-calls.feed';
import { LiveCallsService } from './live-calls.service';

@ApiTags('calls')
@RequireRole('supervisor')
@Controller('calls')
export class CallsController {
  constructor(
    private readonly calls: CallsService,
    private readonly liveCalls: LiveCallsService,
    private readonly liveCallsFeed: LiveCallsFeed,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Finished calls, newest first, filterable by call SID, start time, department visited and outcome' })
  @ApiOkResponse({ type: CallPage })
  list(@Query() query: CallsQuery): Promise<CallPage> {
    return this.calls.list(query);
  }

  // Declared before :id so "live" is not taken for a call id.
  @Get('live')
  @ApiOperation({
    summary: 'Calls on a line right now, across all instances, with what was said last, the work pending and the turns so far',
  })
  @ApiOkResponse({ type: [LiveCallView] })
  live(): Promise<LiveCallView[]> {
    return this.liveCalls.list();
  }

  @Sse('live/events')
  @ApiOperation({
    summary: 'The live calls, pushed: a server-sent event stream',
    description:
      `At connect one \`event: ${LIVE_CALLS_EVENT}\` whose data is {"calls": LiveCallView[], "at": "<iso>"}, then the same event ` +
      'within a second of any change to the list or to a call; a `: keep-alive` comment every 15 s. ' +
      'While the call journal cannot be read the stream stays open and the next successful read sends the list.',
  })
  @ApiProduces('text/event-stream')
  @ApiExtraModels(LiveCallsUpdateView)
  @ApiOkResponse({
    description: `Events named ${LIVE_CALLS_EVENT}, each one's data a LiveCallsUpdateView as JSON`,
    content: { 'text/event-stream': { schema: { $ref: getSchemaPath(LiveCallsUpdateView) } } },
  })
  liveEvents(): Observable<MessageEvent> {
    return this.liveCallsFeed.events();
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
