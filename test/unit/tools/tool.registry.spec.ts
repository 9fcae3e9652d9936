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

  it('refuses a backend tool named like a transfer, whose names the handoff engine owns', () => {
    const reserved = expect.objectContaining({ code: ToolExceptionCode.RESERVED_TOOL_NAME });
    expect(() => new ToolRegistry([factory.tool('transfer_to_billing')])).toThrow(reserved);
    expect(() => new ToolRegistry([factory.tool('transfer_to_human')])).toThrow(reserved);
  });

  it('knows transfer_to_human as an agent tool without serving it', () => {
    expect(registry.isKnownAgentTool('transfer_to_human')).toBe(true);
    expect(registry.isKnownAgentTool('lookup_order')).toBe(true);
    expect(registry.isKnownAgentTool('transfer_to_billing')).toBe(false);
    expect(registry.isKnownAgentTool('drop_tables')).toBe(false);
  });
});

describe('ToolRegistry.kindOf', () => {
  const registry = new ToolRegistry([factory.tool('lookup_order'), factory.tool('process_refund', undefined, 'side-effect')]);

  it('gives a backend tool the kind it declares', () => {
    expect(registry.kindOf('lookup_order')).toBe('lookup');
    expect(registry.kindOf('process_refund')).toBe('side-effect');
  });

  it('knows department transfers and the terminal human transfer without serving them', () => {
    expect(registry.kindOf('transfer_to_billing')).toBe('transfer');
    expect(registry.kindOf('transfer_to_some_new_department')).toBe('transfer');
    expect(registry.kindOf('transfer_to_human')).toBe('terminal');
  });

  it('knows no kind for a name no tool has', () => {
    expect(registry.kindOf('search_faq')).toBeUndefined();
    expect(registry.kindOf('drop_tables')).toBeUndefined();
    expect(registry.kindOf('')).toBeUndefined();
  });
});

describe('the registered tools', () => {
  const registry = new ToolRegistry(factory.registeredTools());

  it('each declare their kind: lookups read, side effects change something', () => {
    expect(Object.fromEntries(registry.names().map((name) => [name, registry.kindOf(name)]))).toEqual({
      lookup_order: 'lookup',
      lookup_account_by_email: 'lookup',
      list_recent_orders: 'lookup',
      check_billing: 'lookup',
      process_refund: 'side-effect',
      search_faq: 'lookup',
      create_ticket: 'side-effect',
    });
  });

  it('are agent tools, with transfer_to_human, and nothing else is', () => {
    for (const name of registry.names()) expect(registry.isKnownAgentTool(name)).toBe(true);
    expect(registry.isKnownAgentTool('transfer_to_human')).toBe(true);
    expect(registry.isKnownAgentTool('transfer_to_refund')).toBe(false);
    expect(registry.isKnownAgentTool('lookup_orders')).toBe(false);
  });
});
