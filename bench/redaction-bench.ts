import { adversarialShapes, fastestOf, realisticTranscript } from './support/redaction-inputs';
import { redact } from '../src/privacy/sensitive-data.redactor';
import { storableRedacted } from '../src/privacy/storable-redacted';
import { JsonLimits } from '../src/privacy/storable-text';

// node -r ts-node/register/transpile-only bench/redaction-bench.ts
// Figures, not assertions: the fastest of a few runs of each, in milliseconds.
const SIZES = [10_000, 100_000, 1_000_000, 5_000_000];
const EVENT_LIMITS: JsonLimits = { maxStringChars: 4000, maxTotalChars: 64_000, maxDepth: 8 };

const inputs: [string, (chars: number) => string][] = [
  ...Object.entries(adversarialShapes).map(([name, shape]): [string, (chars: number) => string] => [name, (chars) => shape.build(chars)]),
  ['realistic transcript', (chars) => realisticTranscript(chars)],
];

const header = ['input', ...SIZES.map((size) => `${size / 1000} KB`)];
const rows: string[][] = [];
for (const [name, build] of inputs) {
  const redactTimes: string[] = [];
  const storableTimes: string[] = [];
  for (const size of SIZES) {
    const text = build(size);
    const repetitions = size >= 1_000_000 ? 3 : 10;
    redactTimes.push(fastestOf(repetitions, () => redact(text)).toFixed(2));
    storableTimes.push(
      fastestOf(repetitions, () => storableRedacted({ type: 'tool.called', arguments: { text } }, EVENT_LIMITS)).toFixed(2),
    );
  }
  rows.push([`redact: ${name}`, ...redactTimes], [`storableRedacted: ${name}`, ...storableTimes]);
}

const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
const format = (row: string[]): string =>
  row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
process.stdout.write(
  `redaction time in ms (fastest of 10 runs, 3 from 1 MB), node ${process.version}, storableRedacted limits ${JSON.stringify(EVENT_LIMITS)}\n`,
);
process.stdout.write(`${format(header)}\n${rows.map(format).join('\n')}\n`);
