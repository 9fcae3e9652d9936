import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { IsString } from 'class-validator';
import { createValidationPipe, fieldsWithNulCharacters } from '../../../src/common/validation.pipe';

class NoteDto {
  @IsString()
  note!: string;
}

async function rejection(value: unknown, metadata: ArgumentMetadata): Promise<Record<string, unknown>> {
  try {
    await createValidationPipe().transform(value, metadata);
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse() as Record<string, unknown>;
    throw error;
  }
  throw new Error('expected the pipe to reject the value');
}

describe('fieldsWithNulCharacters', () => {
  it('names nested strings, array items and keys holding a NUL, shallowest first', () => {
    expect(fieldsWithNulCharacters({ a: 'ok', b: { c: 'x\u0000' }, list: ['fine', '\u0000'], 'k\u0000ey': 'v' })).toEqual([
      'k\\u0000ey',
      'b.c',
      'list.1',
    ]);
    expect(fieldsWithNulCharacters('a\u0000b', 'key')).toEqual(['key']);
    expect(fieldsWithNulCharacters({ count: 3, flag: true, nothing: null, text: 'clean' })).toEqual([]);
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    let deep: unknown = '\u0000';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(fieldsWithNulCharacters(deep)).toHaveLength(1);
  });
});

describe('createValidationPipe', () => {
  it('rejects a NUL in a query that is not a DTO, naming the field', async () => {
    const response = await rejection({ callSid: '\u0000' }, { type: 'query', metatype: Object, data: undefined });
    expect(response).toMatchObject({
      code: 'invalid_characters',
      fields: [{ field: 'callSid', messages: [expect.stringMatching(/NUL/)] }],
    });
  });

  it('rejects a NUL in a single named query value or route parameter', async () => {
    expect(await rejection('CA\u0000', { type: 'param', metatype: String, data: 'id' })).toMatchObject({
      code: 'invalid_characters',
      fields: [{ field: 'id' }],
    });
    expect(await rejection('\u0000', { type: 'query', metatype: String, data: 'callSid' })).toMatchObject({
      fields: [{ field: 'callSid' }],
    });
  });

  it('rejects a NUL in a body before validating it', async () => {
    expect(await rejection({ note: 'a\u0000' }, { type: 'body', metatype: NoteDto, data: undefined })).toMatchObject({
      code: 'invalid_characters',
      fields: [{ field: 'note' }],
    });
  });

  it('codes other validation failures validation_failed and lets clean values through', async () => {
    expect(await rejection({ note: 7 }, { type: 'body', metatype: NoteDto, data: undefined })).toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'note' }],
    });
    await expect(
      createValidationPipe().transform({ note: 'fine' }, { type: 'body', metatype: NoteDto, data: undefined }),
    ).resolves.toBeInstanceOf(NoteDto);
  });
});
