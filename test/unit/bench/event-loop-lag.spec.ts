import { parseEventLoopLagMs } from '../../../bench/support/bench-services';
import { lagFigures } from '../../../bench/support/step-report';

describe("the service's event-loop lag as the bench polls it", () => {
  it('reads the admission gauge from the Prometheus text, in ms', () => {
    const text = [
      '# HELP voice_agent_event_loop_lag_p99_seconds Event-loop delay p99 over the last second',
      '# TYPE voice_agent_event_loop_lag_p99_seconds gauge',
      'voice_agent_event_loop_lag_p99_seconds 0.0425',
      'voice_agent_live_calls 12',
    ].join('\n');
    expect(parseEventLoopLagMs(text)).toBeCloseTo(42.5);
    expect(parseEventLoopLagMs('voice_agent_live_calls 12\n')).toBeUndefined();
  });

  it('summarises the polls as median and max, and says when there were none', () => {
    expect(lagFigures([30, 10, 120, 20])).toEqual({ samples: 4, medianMs: 20, maxMs: 120 });
    expect(lagFigures([])).toEqual({ samples: 0, medianMs: null, maxMs: null });
  });
});
