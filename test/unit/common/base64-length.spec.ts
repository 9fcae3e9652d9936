import { base64DecodedLength } from '../../../src/common/base64-length';

describe('base64DecodedLength', () => {
  it.each([0, 1, 2, 3, 4, 5, 160, 161, 162, 4800])('gives the decoded size of %i bytes without decoding', (bytes) => {
    expect(base64DecodedLength(Buffer.alloc(bytes, 0x7f).toString('base64'))).toBe(bytes);
  });

  it('reads unpadded base64 too', () => {
    expect(base64DecodedLength('AAA')).toBe(2);
  });
});
