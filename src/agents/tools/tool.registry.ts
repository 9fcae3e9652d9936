import { Inject, Injectable } from '@nestjs/common';
import { ProviderTool } from '../../voice-agent/voice-agent.types';
import { ToolException, ToolExceptionCode } from './tool.exception';
import { HUMAN_TRANSFER_TOOL, isTransferTool } from '../../handoff/transfer-tools';
import { BackendTool, ToolKind } from './tool.types';

export const BACKEND_TOOLS = Symbol('BACKEND_TOOLS');

/**
 * The one catalogue of tools: the backend tools by name, served here, and the kind of every tool
 * an agent can call. transfer_* tools are not served here: the handoff engine names and owns them.
 */
@Injectable()
export class ToolRegistry {
  private readonly tools = new Map<string, BackendTool>();

  constructor(@Inject(BACKEND_TOOLS) tools: BackendTool[]) {
    for (const tool of tools) {
      if (isTransferTool(tool.name)) {
        const message = `Tool ${tool.name} takes a transfer tool's name, which the handoff engine owns`;
        throw new ToolException(ToolExceptionCode.RESERVED_TOOL_NAME, message);
      }
      if (this.tools.has(tool.name)) throw new ToolException(ToolExceptionCode.DUPLICATE_TOOL, `Tool ${tool.name} is registered twice`);
      this.tools.set(tool.name, tool);
    }
  }

  get(name: string): BackendTool | undefined {
    return this.tools.get(name);
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  /** Whether an agent config may list this tool (a backend tool or transfer_to_human). */
  isKnownAgentTool(name: string): boolean {
    return this.has(name) || name === HUMAN_TRANSFER_TOOL;
  }

  /** What a call of this tool does; undefined for a name no tool has. */
  kindOf(name: string): ToolKind | undefined {
    if (name === HUMAN_TRANSFER_TOOL) return 'terminal';
    if (isTransferTool(name)) return 'transfer';
    return this.tools.get(name)?.kind;
  }

  definition(name: string): ProviderTool {
    const tool = this.tools.get(name);
    if (!tool) throw new ToolException(ToolExceptionCode.UNKNOWN_TOOL, `Unknown backend tool ${name}`);
    return { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters };
  }

  /** Definitions of the given backend tools, in order; names that are not backend tools are skipped. */
  definitions(names: readonly string[] = this.names()): ProviderTool[] {
    return names.filter((name) => this.has(name)).map((name) => this.definition(name));
  }
}
