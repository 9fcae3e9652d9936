import { AgentConfigDefault } from './agent-runbook';
import { BILLING_AGENT } from './billing/billing.agent';
import { ESCALATION_AGENT } from './escalation/escalation.agent';
import { FAQ_AGENT } from './faq/faq.agent';
import { REFUND_AGENT } from './refund/refund.agent';
import { TRIAGE_AGENT } from './triage/triage.agent';

/** The built-in departments, seeded as version 1 when no agent config exists. */
export const DEFAULT_AGENT_CONFIGS: readonly AgentConfigDefault[] = [
  TRIAGE_AGENT,
  BILLING_AGENT,
  REFUND_AGENT,
  FAQ_AGENT,
  ESCALATION_AGENT,
];
