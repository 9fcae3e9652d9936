import { seededRandom } from './bench-random';

/*
 * The fault run's oversized tool argument: call text a caller might read out, with order ids,
 * dates, amounts, emails, phone and card numbers among ordinary words, so the order-id
 * normaliser and the redaction of what is journaled and summarised both have real work.
 */

const SENTENCES = [
  'I am calling about order ORD-{5}, it was meant to arrive on 2026-05-{2}.',
  'My email is jane.doe{3}@example.com and my phone is +1 555 {3} {4}.',
  'The refund RF-{8} for {2}.99 dollars has not reached my account yet.',
  'The card on file is 4111 1111 1111 {4}, expiring 12/27.',
  'You can call me back at (555) {3}-{4} after five.',
  'Tracking number 1Z999AA1{10} left the depot at 10:45.',
  'It was a gift for my sister, so please do not send anything to her address.',
  'I already spoke to someone yesterday and they said it would be sorted.',
];

/** Exactly `chars` characters of that text, the same for a given seed. */
export function bigToolArgumentText(chars: number, seed = 6007): string {
  const random = seededRandom(seed);
  const digits = (count: number): string => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const sentence = SENTENCES[Math.floor(random() * SENTENCES.length)].replace(/\{(\d+)\}/g, (_, count: string) => digits(Number(count)));
    parts.push(sentence);
    length += sentence.length + 1;
  }
  return parts.join(' ').slice(0, chars);
}
