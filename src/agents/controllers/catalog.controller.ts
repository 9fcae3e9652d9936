import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/roles';
import { VOICE_AGENT_PROVIDER, VoiceAgentProvider } from '../../voice-agent/voice-agent.types';
import { ToolCatalogView, toToolCatalogView, toVoiceCatalogView, VoiceCatalogView } from '../dtos/catalog.response';
import { ToolRegistry } from '../tools/tool.registry';

/** What an agent config may name: the backend tools and the running provider's voices. */
@ApiTags('agents')
@RequireRole('supervisor')
@Controller()
export class CatalogController {
  constructor(
    private readonly tools: ToolRegistry,
    @Inject(VOICE_AGENT_PROVIDER) private readonly provider: VoiceAgentProvider,
  ) {}

  @Get('tools')
  @ApiOperation({ summary: 'The backend tools agents can be given, by name, with what each does and whether it changes anything' })
  @ApiOkResponse({ type: ToolCatalogView })
  toolCatalog(): ToolCatalogView {
    return toToolCatalogView(this.tools.names().flatMap((name) => this.tools.get(name) ?? []));
  }

  @Get('voices')
  @ApiOperation({ summary: "The running voice agent provider's voices, its default, and whether a handoff can change a call's voice" })
  @ApiOkResponse({ type: VoiceCatalogView })
  voiceCatalog(): VoiceCatalogView {
    return toVoiceCatalogView(this.provider.name, this.provider.capabilities);
  }
}
