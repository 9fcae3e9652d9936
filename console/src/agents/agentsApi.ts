import { ApiClient } from '../api/client';
import { AgentConfig, AgentConfigVersion, AgentDraft, LoadedAgent, Page, RegisteredTool, VoiceCatalog } from './agent.types';
import { escalationDraftOf, escalationRulesOf } from './escalationRules';

const agentPath = (key: string) => `/agents/${encodeURIComponent(key)}`;

/** The entity tag of a version, as the service makes it; used when a response lacks the header. */
export const etagOf = (version: number) => `"v${version}"`;

function loaded(body: AgentConfig, headers: Headers): LoadedAgent {
  return { config: body, etag: headers.get('ETag') ?? etagOf(body.version) };
}

export function listAgents(api: ApiClient): Promise<AgentConfig[]> {
  return api.get<AgentConfig[]>('/agents');
}

export async function loadAgent(api: ApiClient, key: string): Promise<LoadedAgent> {
  const { body, headers } = await api.request<AgentConfig>('GET', agentPath(key));
  return loaded(body, headers);
}

/**
 * The whole config (PUT), written only over the version the draft started from: a 412
 * version_conflict means someone saved first and nothing was stored. Keyterms are not sent, so
 * the service keeps the ones current at the write; the escalation rules always are (a PUT without
 * them would reset them to the department's defaults).
 */
export async function saveAgent(
  api: ApiClient,
  key: string,
  draft: AgentDraft,
  ifMatch: string,
  defaultNote: string,
): Promise<LoadedAgent> {
  const body = { ...draft, escalation: escalationRulesOf(draft.escalation), note: draft.note.trim() === '' ? defaultNote : draft.note };
  const { body: saved, headers } = await api.request<AgentConfig>('PUT', agentPath(key), { body, headers: { 'If-Match': ifMatch } });
  return loaded(saved, headers);
}

export function listVersions(api: ApiClient, key: string, page: number, pageSize = 50): Promise<Page<AgentConfigVersion>> {
  return api.get<Page<AgentConfigVersion>>(`${agentPath(key)}/versions`, { page, pageSize });
}

/** A new version with an old version's content, over the current version only. */
export async function rollbackAgent(api: ApiClient, key: string, version: number, ifMatch: string): Promise<LoadedAgent> {
  const { body, headers } = await api.request<AgentConfig>('POST', `${agentPath(key)}/rollback`, {
    body: { version, note: `rollback to version ${version} (console)` },
    headers: { 'If-Match': ifMatch },
  });
  return loaded(body, headers);
}

export async function listTools(api: ApiClient): Promise<RegisteredTool[]> {
  return (await api.get<{ tools: RegisteredTool[] }>('/tools')).tools;
}

export function voiceCatalog(api: ApiClient): Promise<VoiceCatalog> {
  return api.get<VoiceCatalog>('/voices');
}

export function draftOf(config: AgentConfig): AgentDraft {
  return {
    displayName: config.displayName,
    systemPrompt: config.systemPrompt,
    greeting: config.greeting,
    voice: config.voice.value,
    tools: [...config.tools],
    handoffTargets: [...config.handoffTargets],
    escalation: escalationDraftOf(config.escalation),
    note: '',
  };
}
