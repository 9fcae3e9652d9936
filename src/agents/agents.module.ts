import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentConfigVersionEntity } from '../persistence/entities/agent-config-version.entity';
import { AgentConfigEntity } from '../persistence/entities/agent-config.entity';
import { VoiceAgentModule } from '../voice-agent/voice-agent.module';
import { AgentConfigController } from './controllers/agent-config.controller';
import { CatalogController } from './controllers/catalog.controller';
import { AgentConfigChangeChannel } from './services/agent-config-change.channel';
import { AgentConfigService } from './services/agent-config.service';
import { AgentConfigRepository } from './services/agent-config.repository';
import { ToolsModule } from './tools/tools.module';

/** Department agent configs: defaults, versioned storage, the admin API, the tool and voice catalogue, and cross-instance changes. */
@Module({
  imports: [TypeOrmModule.forFeature([AgentConfigEntity, AgentConfigVersionEntity]), VoiceAgentModule, ToolsModule],
  controllers: [AgentConfigController, CatalogController],
  providers: [AgentConfigRepository, AgentConfigChangeChannel, AgentConfigService],
  exports: [AgentConfigService],
})
export class AgentsModule {}
