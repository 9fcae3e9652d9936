/** Bytes a base64 string decodes to (3 per 4 characters, less the padding), without decoding it. */
export function base64DecodedLength(base64: string): number {
  const length = base64.length;
  if (length === 0) return 0;
  let padding = 0;
  if (base64.charCodeAt(length - 1) === 61) padding++;
  if (length > 1 && base64.charCodeAt(length - 2) === 61) padding++;
  return Math.floor((length * 3) / 4) - padding;
}
