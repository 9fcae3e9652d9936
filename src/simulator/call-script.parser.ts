export type CallScriptStep =
  { kind: 'say'; text: string } | { kind: 'pause'; ms: number } | { kind: 'dtmf'; digits: string } | { kind: 'hangup' };

/**
 * One caller utterance per line. `#` starts a comment line; `pause <ms>` waits;
 * `/dtmf <digits>` and `/hangup` do what they do at the interactive prompt.
 */
export function parseCallScript(text: string): CallScriptStep[] {
  const steps: CallScriptStep[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) {
      return;
    }
    const step = parseCallerLine(line);
    if (step === undefined) {
      throw new Error(`script line ${index + 1}: cannot read ${JSON.stringify(line)}`);
    }
    steps.push(step);
  });
  return steps;
}

/** A line typed at the prompt or read from a script; undefined when it is a malformed command. */
export function parseCallerLine(line: string): CallScriptStep | undefined {
  const pause = /^pause\s+(\d+)\s*(ms)?$/i.exec(line);
  if (pause) {
    return { kind: 'pause', ms: Number(pause[1]) };
  }
  if (/^\/hangup$/i.test(line)) {
    return { kind: 'hangup' };
  }
  if (/^\/dtmf\b/i.test(line)) {
    const digits = /^\/dtmf\s+([0-9*#A-Da-d]+)$/i.exec(line);
    return digits ? { kind: 'dtmf', digits: digits[1].toUpperCase() } : undefined;
  }
  if (line.startsWith('/')) {
    return undefined;
  }
  return { kind: 'say', text: line };
}
