import { HUMAN_TRANSFER_TOOL } from '../../handoff/transfer-tools';

/** The backend tools the registry serves. Names are a contract: logs, configs and prompts use them. */
export const BACKEND_TOOL_NAMES = [
  'lookup_order',
  'lookup_account_by_email',
  'list_recent_orders',
  'check_billing',
  'process_refund',
  'search_faq',
  'create_ticket',
] as const;

export type BackendToolName = (typeof BACKEND_TOOL_NAMES)[number];

export function isBackendToolName(name: string): name is BackendToolName {
  return (BACKEND_TOOL_NAMES as readonly string[]).includes(name);
}

/** A tool an agent config may list: a backend tool, or the terminal human escalation (owned by the handoff engine). */
export function isKnownAgentTool(name: string): boolean {
  return isBackendToolName(name) || name === HUMAN_TRANSFER_TOOL;
}
