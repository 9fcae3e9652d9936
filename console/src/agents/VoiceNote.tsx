import { VoiceCatalog } from './agent.types';

/** The provider's note on voices (whether a handoff can switch voice mid-call), beside the voice. */
export function VoiceNote({ id, catalog, fallback }: { id: string; catalog: VoiceCatalog | undefined; fallback: string }) {
  return (
    <p id={id} className="voice-note">
      {catalog ? (
        <>
          <span className={catalog.voiceChangeMidSession ? 'badge good' : 'badge warn'}>
            {catalog.voiceChangeMidSession ? 'switches mid-call' : 'set at call start'}
          </span>{' '}
          <strong>{catalog.provider}:</strong> {catalog.note}
        </>
      ) : (
        fallback
      )}
    </p>
  );
}
