import { AssemblyAiProviderOptions, AssemblyAiVoiceAgentProvider } from '../assemblyai/assemblyai-voice-agent.provider';
import { OpenVoiceAgentSession } from '../voice-agent.types';

export const LOCAL_CALL_ID_HEADER = 'x-local-call-id';

// The real AssemblyAI client pointed at the local server; the header tells the local server
// which call a session belongs to so the control channel can address it.
export class LocalVoiceAgentProvider extends AssemblyAiVoiceAgentProvider {
  override readonly name = 'local';

  constructor(options: AssemblyAiProviderOptions) {
    super(options);
  }

  protected override headersFor(session: OpenVoiceAgentSession): Record<string, string> {
    return { [LOCAL_CALL_ID_HEADER]: session.callId };
  }
}
