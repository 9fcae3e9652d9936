import { BROKEN_RESPONSE_MS, badgeClass, formatLatency, latencyTone, SLOW_RESPONSE_MS } from './format';
import type { CallTurn } from './types';

/**
 * Per caller turn: how long the caller waited for the first audio (response) and for the answer
 * that used the turn's tools and handoffs, with a bar showing where the answer's wait went.
 * The bars share one scale, at least 3 s wide, with the 2 s and 3 s budgets marked.
 */
export function TurnLatencies({ turns }: { turns: CallTurn[] }) {
  const scale = Math.max(BROKEN_RESPONSE_MS * 1.1, ...turns.flatMap((turn) => [turn.responseLatencyMs ?? 0, turn.answerLatencyMs ?? 0]));
  const percent = (ms: number) => `${Math.min(100, (ms / scale) * 100)}%`;
  return (
    <>
      <table className="latency-table" aria-labelledby="latency-title">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Turn
            </th>
            <th scope="col">Department</th>
            <th scope="col">Response</th>
            <th scope="col">Answer</th>
            <th scope="col" className="latency-bar-column">
              Where the answer&apos;s wait went
            </th>
            <th scope="col">Tools and handoffs</th>
          </tr>
        </thead>
        <tbody>
          {turns.map((turn) => (
            <tr key={turn.turn} data-turn={turn.turn}>
              <td className="numeric">{turn.turn}</td>
              <td>{turn.department}</td>
              <td>
                <Latency ms={turn.responseLatencyMs} />
              </td>
              <td>
                <Latency ms={turn.answerLatencyMs} />
              </td>
              <td>
                {turn.breakdown && turn.answerLatencyMs !== null ? (
                  <>
                    <div className="latency-bar" aria-hidden="true">
                      <span className="latency-part latency-tools" style={{ width: percent(turn.breakdown.toolsMs) }} />
                      <span className="latency-part latency-handoffs" style={{ width: percent(turn.breakdown.handoffsMs) }} />
                      <span className="latency-part latency-other" style={{ width: percent(turn.breakdown.otherMs) }} />
                      {turn.responseLatencyMs !== null && (
                        <span className="latency-response-mark" style={{ left: percent(turn.responseLatencyMs) }} />
                      )}
                      <span className="latency-budget latency-budget-slow" style={{ left: percent(SLOW_RESPONSE_MS) }} />
                      <span className="latency-budget latency-budget-broken" style={{ left: percent(BROKEN_RESPONSE_MS) }} />
                    </div>
                    <p className="text-small muted latency-shares">
                      tools {formatLatency(turn.breakdown.toolsMs)}, handoffs {formatLatency(turn.breakdown.handoffsMs)}, other{' '}
                      {formatLatency(turn.breakdown.otherMs)}
                    </p>
                  </>
                ) : (
                  <span className="muted text-small">No answer in this turn</span>
                )}
              </td>
              <td className="text-small">
                {turn.tools.length === 0 && turn.handoffs.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <ul className="plain-list">
                    {turn.tools.map((tool) => (
                      <li key={tool.toolCallId}>
                        <code>{tool.name}</code> {tool.durationMs === null ? 'unfinished' : formatLatency(tool.durationMs)}
                        {tool.ok === false && <span className="badge bad">error</span>}
                      </li>
                    ))}
                    {turn.handoffs.map((handoff, index) => (
                      <li key={`handoff-${index}`}>
                        {handoff.from} → {handoff.to} ({handoff.status}
                        {handoff.latencyMs !== null ? `, ${formatLatency(handoff.latencyMs)}` : ''})
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-small muted latency-legend">
        <span className="legend-swatch latency-tools" aria-hidden="true" /> tools{' '}
        <span className="legend-swatch latency-handoffs" aria-hidden="true" /> handoffs{' '}
        <span className="legend-swatch latency-other" aria-hidden="true" /> provider and network{' '}
        <span className="legend-mark" aria-hidden="true" /> first audio (response). Budgets: over {formatLatency(SLOW_RESPONSE_MS)} is slow,
        over {formatLatency(BROKEN_RESPONSE_MS)} feels broken (dashed lines).
      </p>
    </>
  );
}

function Latency({ ms }: { ms: number | null }) {
  if (ms === null) return <span className="muted">none</span>;
  return <span className={badgeClass(latencyTone(ms))}>{formatLatency(ms)}</span>;
}
