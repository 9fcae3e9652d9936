import { redact } from './sensitive-data.redactor';
import { BoundedJson, boundedJson, CappedText, capText, JsonLimits, toStorableText } from './storable-text';

// RFC 5321 caps an email address at 254 characters; phone and card numbers are far shorter.
const LONGEST_SENSITIVE_TOKEN = 256;
const PREFIX_MARGIN = 2 * LONGEST_SENSITIVE_TOKEN;

/**
 * What the call journal stores for any event payload: a bounded, storable copy (see
 * boundedJson) in which every string, keys included, is redacted. The result says whether
 * anything was cut, for the caller to record.
 */
export function storableRedacted(value: unknown, limits: JsonLimits): BoundedJson {
  return boundedJson(value, limits, redactedAndCapped);
}

/**
 * redact(toStorableText(text)) cut to maxChars, redacting only a prefix of a long text so the
 * work follows what is kept. A prefix end can cut an email or number in two, leaving a part
 * the redactor no longer recognises; the prefix runs PREFIX_MARGIN past maxChars so that such a
 * part lands beyond maxChars and is cut away, and is lengthened when redactions (which shorten
 * the text) ate into that margin.
 */
export function redactedAndCapped(text: string, maxChars: number): CappedText {
  if (!(maxChars >= 0)) return capText(text, 0);
  for (let prefixChars = maxChars + PREFIX_MARGIN; prefixChars < text.length; prefixChars *= 2) {
    const redacted = redact(toStorableText(capText(text, prefixChars).text));
    if (redacted.length >= maxChars + PREFIX_MARGIN) return { text: capText(redacted, maxChars).text, originalLength: text.length };
  }
  const redacted = capText(redact(toStorableText(text)), maxChars);
  return redacted.originalLength === undefined ? redacted : { text: redacted.text, originalLength: text.length };
}
