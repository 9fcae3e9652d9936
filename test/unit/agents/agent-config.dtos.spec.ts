import { BadRequestException } from '@nestjs/common';
import { describeVoice, toAgentConfigView, voiceIdFrom } from '../../../src/agents/dtos/agent-config.response';
import { PatchAgentConfigDto, toAgentConfigPatch } from '../../../src/agents/dtos/patch-agent-config.dto';
import { toAgentConfigInput, UpdateAgentConfigDto } from '../../../src/agents/dtos/update-agent-config.dto';
import { createValidationPipe } from '../../../src/common/validation.pipe';
import { agentConfigFactory } from './agent-config.factory';

const capabilities = { voices: ['ivy', 'james'], defaultVoice: 'ivy', voiceChangeMidSession: false };

async function validBody<T>(metatype: new () => T, value: unknown): Promise<T> {
  return (await createValidationPipe().transform(value, { type: 'body', metatype, data: undefined })) as T;
}

async function failingFields(metatype: new () => unknown, value: unknown): Promise<string[]> {
  const error = await createValidationPipe()
    .transform(value, { type: 'body', metatype, data: undefined })
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(BadRequestException);
  return ((error as BadRequestException).getResponse() as { fields: { field: string }[] }).fields.map((failure) => failure.field).sort();
}

describe('voiceIdFrom', () => {
  it('takes the id from the object GET returns, or from a bare { value }', () => {
    expect(voiceIdFrom(describeVoice('james', capabilities))).toBe('james');
    expect(voiceIdFrom({ value: 'ivy' })).toBe('ivy');
    expect(voiceIdFrom('ivy')).toBe('ivy');
  });

  it.each([[{ value: 'ivy', speed: 2 }], [{ value: 3 }], [{ note: 'x' }], [['ivy']], [null], [7]])(
    'leaves %p as it is, for validation to refuse',
    (voice) => {
      expect(voiceIdFrom(voice)).toBe(voice);
    },
  );
});

describe('UpdateAgentConfigDto', () => {
  const record = agentConfigFactory.record({ version: 4 });
  const getBody = () => JSON.parse(JSON.stringify(toAgentConfigView(record, capabilities))) as Record<string, unknown>;

  it('accepts the body GET returns, read-only fields and the voice object included, and keeps only the writable content', async () => {
    const body = await validBody(UpdateAgentConfigDto, getBody());
    const { key: _key, version: _version, author: _author, note: _note, createdAt: _createdAt, ...content } = record;
    expect(toAgentConfigInput(body)).toEqual(content);
    expect(body.note).toBe(record.note);
  });

  it('accepts a version history item too', async () => {
    const { key: _key, ...historyItem } = { ...record, current: true };
    expect(toAgentConfigInput(await validBody(UpdateAgentConfigDto, historyItem)).voice).toBe(record.voice);
  });

  it('stays strict about writable fields and unknown ones', async () => {
    expect(
      await failingFields(UpdateAgentConfigDto, { ...getBody(), voice: { value: 'ivy', pitch: 1 }, tools: 'lookup_order', extra: true }),
    ).toEqual(['extra', 'tools', 'voice']);
    const { displayName: _missing, ...withoutName } = getBody();
    expect(await failingFields(UpdateAgentConfigDto, withoutName)).toEqual(['displayName']);
  });

  it('takes the escalation rules as they came (checked with the config), refusing only a non-object; omits them when the body does', async () => {
    expect(await failingFields(UpdateAgentConfigDto, { ...getBody(), escalation: 'strict' })).toEqual(['escalation']);
    const odd = { redFlags: { phrases: [7], action: 'maybe' } };
    expect(toAgentConfigInput(await validBody(UpdateAgentConfigDto, { ...getBody(), escalation: odd })).escalation).toEqual(odd);
    const { escalation: _omitted, ...body } = getBody();
    expect(toAgentConfigInput(await validBody(UpdateAgentConfigDto, body)).escalation).toBeUndefined();
  });

  it('omits keyterms from the input when the body does', async () => {
    const { keyterms: _omitted, ...body } = getBody();
    expect(toAgentConfigInput(await validBody(UpdateAgentConfigDto, body)).keyterms).toBeUndefined();
  });
});

describe('PatchAgentConfigDto', () => {
  it('takes any subset of the writable fields, validated as PUT validates them', async () => {
    const patch = await validBody(PatchAgentConfigDto, { greeting: 'Hello', voice: { value: 'ivy', appliesMidCall: false, note: 'n' } });
    expect(toAgentConfigPatch(patch)).toEqual({ greeting: 'Hello', voice: 'ivy' });
    expect(await failingFields(PatchAgentConfigDto, { greeting: '', tools: [1], colour: 'red' })).toEqual(['colour', 'greeting', 'tools']);
  });

  it('passes null through as a removal, and leaves read-only fields and the note out of the patch', async () => {
    const patch = await validBody(PatchAgentConfigDto, { keyterms: null, displayName: null, version: 9, note: 'why' });
    expect(toAgentConfigPatch(patch)).toEqual({ keyterms: null, displayName: null });
  });

  it('passes a partial escalation patch through untouched, nulls included', async () => {
    const escalation = { failedTools: { inARow: 4 }, humanRequest: { phrases: null } };
    expect(toAgentConfigPatch(await validBody(PatchAgentConfigDto, { escalation }))).toEqual({ escalation });
    expect(toAgentConfigPatch(await validBody(PatchAgentConfigDto, { escalation: null }))).toEqual({ escalation: null });
  });
});
