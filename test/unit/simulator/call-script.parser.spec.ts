import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCallerLine, parseCallScript } from '../../../src/simulator/call-script.parser';

describe('parseCallScript', () => {
  it('reads utterances, pauses and commands, skipping comments and blank lines', () => {
    const script = ['# a comment', '', '  Hi there.  ', 'pause 250', '/dtmf 1#', 'Bye', '/hangup'].join('\n');

    expect(parseCallScript(script)).toEqual([
      { kind: 'say', text: 'Hi there.' },
      { kind: 'pause', ms: 250 },
      { kind: 'dtmf', digits: '1#' },
      { kind: 'say', text: 'Bye' },
      { kind: 'hangup' },
    ]);
  });

  it('names the line it cannot read', () => {
    expect(() => parseCallScript('Hello\n/dance')).toThrow('script line 2');
  });

  it('parses the sample demo script', () => {
    const steps = parseCallScript(readFileSync(join(__dirname, '../../../src/simulator/scripts/sample-call.txt'), 'utf8'));

    expect(steps.filter((step) => step.kind === 'say').length).toBeGreaterThanOrEqual(3);
    expect(steps[0]).toEqual({ kind: 'say', text: expect.stringMatching(/ORD-12345.*refund/) });
  });
});

describe('parseCallerLine', () => {
  it('refuses a malformed dtmf command', () => {
    expect(parseCallerLine('/dtmf')).toBeUndefined();
    expect(parseCallerLine('/dtmf x')).toBeUndefined();
  });
});
