import { BACKEND_TOOL_NAMES, isKnownAgentTool } from '../../../src/agents/tools/tool-names';
import { ToolException, ToolExceptionCode } from '../../../src/agents/tools/tool.exception';
import { ToolRegistry } from '../../../src/agents/tools/tool.registry';
import { factory } from './tool-test.factory';

describe('ToolRegistry', () => {
  const registry = new ToolRegistry([factory.tool('lookup_order'), factory.tool('search_faq')]);

  it('finds tools by name', () => {
    expect(registry.get('lookup_order')?.name).toBe('lookup_order');
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.has('search_faq')).toBe(true);
    expect(registry.has('transfer_to_human')).toBe(false);
    expect(registry.names()).toEqual(['lookup_order', 'search_faq']);
  });

  it('gives the provider definition of a tool', () => {
    expect(registry.definition('lookup_order')).toEqual({
      type: 'function',
      name: 'lookup_order',
      description: 'lookup_order for tests',
      parameters: { type: 'object', properties: {} },
    });
    expect(registry.definitions(['search_faq', 'transfer_to_billing']).map((tool) => tool.name)).toEqual(['search_faq']);
  });

  it('refuses a definition for an unknown tool with a coded exception', () => {
    expect(() => registry.definition('nope')).toThrow(expect.objectContaining({ code: ToolExceptionCode.UNKNOWN_TOOL }));
  });

  it('refuses two tools with one name', () => {
    expect(() => new ToolRegistry([factory.tool('search_faq'), factory.tool('search_faq')])).toThrow(ToolException);
  });

  it('knows transfer_to_human as an agent tool without serving it', () => {
    expect(registry.isKnownAgentTool('transfer_to_human')).toBe(true);
    expect(registry.isKnownAgentTool('lookup_order')).toBe(true);
    expect(registry.isKnownAgentTool('transfer_to_billing')).toBe(false);
    expect(registry.isKnownAgentTool('drop_tables')).toBe(false);
  });
});

describe('isKnownAgentTool', () => {
  it('accepts every backend tool name and transfer_to_human only', () => {
    for (const name of BACKEND_TOOL_NAMES) expect(isKnownAgentTool(name)).toBe(true);
    expect(isKnownAgentTool('transfer_to_human')).toBe(true);
    expect(isKnownAgentTool('transfer_to_refund')).toBe(false);
    expect(isKnownAgentTool('lookup_orders')).toBe(false);
  });
});
