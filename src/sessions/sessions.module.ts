import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { ToolsModule } from '../agents/tools/tools.module';
import { HandoffLogModule } from '../handoff/handoff-log.module';
import { VoiceAgentModule } from '../voice-agent/voice-agent.module';
import { CallerHistoryModule } from '../caller-history/caller-history.module';
import { CallSessionService } from './call-session.service';
import { CallTelemetryService } from './call-telemetry';

@Module({
  imports: [VoiceAgentModule, AgentsModule, ToolsModule, HandoffLogModule, CallerHistoryModule],
  providers: [CallSessionService, CallTelemetryService],
  exports: [CallSessionService],
})
export class SessionsModule {}
