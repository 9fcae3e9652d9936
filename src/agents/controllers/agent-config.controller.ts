import { Body, Controller, Get, Param, Post, Put, Query, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/roles';
import { Page, pageOf, PaginationQuery } from '../../common/pagination.dto';
import { AgentConfigVersionPage, AgentConfigVersionView, AgentConfigView, toAgentConfigVersionView, toAgentConfigView } from '../dtos/agent-config.response';
import { RollbackAgentConfigDto } from '../dtos/rollback-agent-config.dto';
import { UpdateAgentConfigDto } from '../dtos/update-agent-config.dto';
import { AgentConfigExceptionFilter } from '../exceptions/agent-config-exception.filter';
import { AgentConfigService } from '../services/agent-config.service';

// There are no user accounts: a version records the role that made it.
const ADMIN_AUTHOR = 'admin';

@ApiTags('agents')
@UseFilters(AgentConfigExceptionFilter)
@Controller('agents')
export class AgentConfigController {
  constructor(private readonly agents: AgentConfigService) {}

  @Get()
  @RequireRole('supervisor')
  @ApiOperation({ summary: 'Every department agent, current version' })
  @ApiOkResponse({ type: [AgentConfigView] })
  async list(): Promise<AgentConfigView[]> {
    const records = await this.agents.list();
    return records.map((record) => toAgentConfigView(record, this.agents.capabilities));
  }

  @Get(':key')
  @RequireRole('supervisor')
  @ApiOperation({ summary: 'One department agent, current version' })
  @ApiOkResponse({ type: AgentConfigView })
  @ApiNotFoundResponse({ description: 'No agent with this key' })
  async get(@Param('key') key: string): Promise<AgentConfigView> {
    return toAgentConfigView(await this.agents.get(key), this.agents.capabilities);
  }

  @Put(':key')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Store a new version of an agent (a new key adds a department)', description: 'Reaches every instance within a second; calls in progress keep the version they hold.' })
  @ApiOkResponse({ type: AgentConfigView, description: 'The new current version' })
  @ApiBadRequestResponse({ description: 'Validation failed; `fields` names each failing field' })
  async update(@Param('key') key: string, @Body() body: UpdateAgentConfigDto): Promise<AgentConfigView> {
    const { note, ...input } = body;
    return toAgentConfigView(await this.agents.update(key, input, ADMIN_AUTHOR, note), this.agents.capabilities);
  }

  @Get(':key/versions')
  @RequireRole('supervisor')
  @ApiOperation({ summary: 'Version history of an agent, newest first' })
  @ApiOkResponse({ type: AgentConfigVersionPage })
  @ApiNotFoundResponse({ description: 'No agent with this key' })
  async versions(@Param('key') key: string, @Query() query: PaginationQuery): Promise<Page<AgentConfigVersionView>> {
    const { items, total, currentVersion } = await this.agents.versions(key, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
    return pageOf(items.map((record) => toAgentConfigVersionView(record, currentVersion)), total, query);
  }

  @Post(':key/rollback')
  @RequireRole('admin')
  @ApiOperation({ summary: "Make an old version's content current again, as a new version" })
  @ApiCreatedResponse({ type: AgentConfigView, description: 'The new current version' })
  @ApiNotFoundResponse({ description: 'No agent with this key, or no such version' })
  @ApiBadRequestResponse({ description: 'The old version is no longer valid (for example a tool was removed)' })
  async rollback(@Param('key') key: string, @Body() body: RollbackAgentConfigDto): Promise<AgentConfigView> {
    return toAgentConfigView(await this.agents.rollback(key, body.version, ADMIN_AUTHOR, body.note), this.agents.capabilities);
  }
}
