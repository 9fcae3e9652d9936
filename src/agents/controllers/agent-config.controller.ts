import { Body, Controller, Get, Param, Patch, Post, Put, Query, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/roles';
import { Page, pageOf, PaginationQuery } from '../../common/pagination.dto';
import {
  AgentConfigVersionPage,
  AgentConfigVersionView,
  AgentConfigView,
  toAgentConfigVersionView,
  toAgentConfigView,
} from '../dtos/agent-config.response';
import { PatchAgentConfigDto, toAgentConfigPatch } from '../dtos/patch-agent-config.dto';
import { RollbackAgentConfigDto } from '../dtos/rollback-agent-config.dto';
import { toAgentConfigInput, UpdateAgentConfigDto } from '../dtos/update-agent-config.dto';
import { AgentConfigExceptionFilter } from '../exceptions/agent-config-exception.filter';
import { AgentConfigService } from '../services/agent-config.service';
import { VersionPrecondition } from '../services/version-precondition';
import { AgentConfigETagInterceptor, ApiIfMatch, ETAG_HEADER_DOC, IfMatchPrecondition } from './agent-config-etag.http';

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
  @UseInterceptors(AgentConfigETagInterceptor)
  @ApiOperation({
    summary: 'One department agent, current version',
    description: 'The body can be sent back to PUT as it is; the ETag goes in If-Match.',
  })
  @ApiOkResponse({ type: AgentConfigView, headers: ETAG_HEADER_DOC })
  @ApiNotFoundResponse({ description: 'No agent with this key' })
  async get(@Param('key') key: string): Promise<AgentConfigView> {
    return toAgentConfigView(await this.agents.get(key), this.agents.capabilities);
  }

  @Put(':key')
  @RequireRole('admin')
  @UseInterceptors(AgentConfigETagInterceptor)
  @ApiOperation({
    summary: 'Store a new version of an agent (a new key adds a department)',
    description:
      'Takes the body GET returns (read-only fields are ignored). ' +
      'Reaches every instance within a second; calls in progress keep the version they hold.',
  })
  @ApiIfMatch()
  @ApiOkResponse({ type: AgentConfigView, headers: ETAG_HEADER_DOC, description: 'The new current version' })
  @ApiBadRequestResponse({ description: 'Validation failed; `fields` names each failing field' })
  async update(
    @Param('key') key: string,
    @Body() body: UpdateAgentConfigDto,
    @IfMatchPrecondition() precondition?: VersionPrecondition,
  ): Promise<AgentConfigView> {
    const record = await this.agents.update(key, toAgentConfigInput(body), ADMIN_AUTHOR, body.note, precondition);
    return toAgentConfigView(record, this.agents.capabilities);
  }

  @Patch(':key')
  @RequireRole('admin')
  @UseInterceptors(AgentConfigETagInterceptor)
  @ApiOperation({
    summary: 'Change some fields of an agent, as a new version',
    description:
      'JSON merge patch semantics, sent as application/json: absent fields are kept, lists are replaced whole, null empties a list. ' +
      'The merged config is validated as PUT validates it. `note` defaults to the list of changed fields.',
  })
  @ApiIfMatch()
  @ApiOkResponse({ type: AgentConfigView, headers: ETAG_HEADER_DOC, description: 'The new current version' })
  @ApiBadRequestResponse({ description: 'A field or the merged config is invalid (`fields` names each), or the patch sets nothing' })
  @ApiNotFoundResponse({ description: 'No agent with this key' })
  async patch(
    @Param('key') key: string,
    @Body() body: PatchAgentConfigDto,
    @IfMatchPrecondition() precondition?: VersionPrecondition,
  ): Promise<AgentConfigView> {
    // A null note (IsOptional lets it through) asks for the default note, as an absent one does.
    const record = await this.agents.patch(key, toAgentConfigPatch(body), ADMIN_AUTHOR, body.note ?? undefined, precondition);
    return toAgentConfigView(record, this.agents.capabilities);
  }

  @Get(':key/versions')
  @RequireRole('supervisor')
  @ApiOperation({ summary: 'Version history of an agent, newest first' })
  @ApiOkResponse({ type: AgentConfigVersionPage })
  @ApiNotFoundResponse({ description: 'No agent with this key' })
  async versions(@Param('key') key: string, @Query() query: PaginationQuery): Promise<Page<AgentConfigVersionView>> {
    const { items, total, currentVersion } = await this.agents.versions(key, {
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return pageOf(
      items.map((record) => toAgentConfigVersionView(record, currentVersion)),
      total,
      query,
    );
  }

  @Post(':key/rollback')
  @RequireRole('admin')
  @UseInterceptors(AgentConfigETagInterceptor)
  @ApiOperation({ summary: "Make an old version's content current again, as a new version" })
  @ApiIfMatch()
  @ApiCreatedResponse({ type: AgentConfigView, headers: ETAG_HEADER_DOC, description: 'The new current version' })
  @ApiNotFoundResponse({ description: 'No agent with this key, or no such version' })
  @ApiBadRequestResponse({ description: 'The old version is no longer valid (for example a tool was removed)' })
  async rollback(
    @Param('key') key: string,
    @Body() body: RollbackAgentConfigDto,
    @IfMatchPrecondition() precondition?: VersionPrecondition,
  ): Promise<AgentConfigView> {
    const record = await this.agents.rollback(key, body.version, ADMIN_AUTHOR, body.note, precondition);
    return toAgentConfigView(record, this.agents.capabilities);
  }
}
