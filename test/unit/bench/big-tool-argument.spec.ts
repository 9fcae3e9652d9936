import { bigToolArgumentText } from '../../../bench/support/big-tool-argument';

describe('big tool argument', () => {
  it('is exactly as long as asked, ASCII (so characters are bytes), and the same every run', () => {
    const text = bigToolArgumentText(100_000);
    expect(text).toHaveLength(100_000);
    expect(Buffer.byteLength(text)).toBe(100_000);
    expect(bigToolArgumentText(100_000)).toBe(text);
  });

  it('gives the normaliser and the redactor something to find', () => {
    const text = bigToolArgumentText(20_000);
    expect(text).toMatch(/ORD-\d{5}/);
    expect(text).toMatch(/jane\.doe\d{3}@example\.com/);
    expect(text).toMatch(/4111 1111 1111 \d{4}/);
    expect(text).toMatch(/\(555\) \d{3}-\d{4}/);
  });
});
