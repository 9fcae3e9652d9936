import { ProviderTool } from '../voice-agent/voice-agent.types';

/**
 * The transfer tools the handoff engine gives agents: one `transfer_to_<department>` per handoff
 * target, and the terminal `transfer_to_human`. Their names are made and read only here.
 */
const TRANSFER_PREFIX = 'transfer_to_';

export const HUMAN_TRANSFER_TOOL = `${TRANSFER_PREFIX}human`;

/** The department half of a transfer: what the tool's description needs. */
export interface TransferTarget {
  key: string;
  displayName: string;
}

export function transferToolName(departmentKey: string): string {
  return `${TRANSFER_PREFIX}${departmentKey}`;
}

/** Any transfer tool, to a department or to a human. */
export function isTransferTool(name: string): boolean {
  return name.startsWith(TRANSFER_PREFIX);
}

/** The department a `transfer_to_<key>` tool moves the caller to; undefined for other tools and for the human transfer. */
export function transferTargetOf(toolName: string): string | undefined {
  if (!isTransferTool(toolName) || toolName === HUMAN_TRANSFER_TOOL) return undefined;
  return toolName.slice(TRANSFER_PREFIX.length);
}

const TRANSFER_PARAMETERS = {
  type: 'object',
  properties: {
    reason: { type: 'string', description: 'Why the caller is being transferred, in a few words.' },
    summary: {
      type: 'string',
      description: 'One or two sentences: what the caller needs and what is already known (account, order), so they are not asked again.',
    },
  },
  required: ['reason', 'summary'],
};

export function transferTool(target: TransferTarget): ProviderTool {
  return {
    type: 'function',
    name: transferToolName(target.key),
    description: `Hand the caller over to the ${target.displayName} department, inside this call. Say a short transition phrase first.`,
    parameters: TRANSFER_PARAMETERS,
  };
}

export const HUMAN_TRANSFER_TOOL_DEFINITION: ProviderTool = {
  type: 'function',
  name: HUMAN_TRANSFER_TOOL,
  description: 'Transfer the call to a human agent. Final: the call leaves the AI. Tell the caller you are connecting them first.',
  parameters: TRANSFER_PARAMETERS,
};
