import { ToolArguments } from '../../../src/agents/tools/tool-arguments';

describe('ToolArguments', () => {
  it('reads trimmed strings and reports no problem', () => {
    const input = new ToolArguments({ order_id: ' ORD-12345 ', reason: 'late' });
    expect(input.requiredString('order_id')).toBe('ORD-12345');
    expect(input.requiredString('reason')).toBe('late');
    expect(input.problem).toBeUndefined();
  });

  it.each([
    [{}, 'order_id is required'],
    [{ order_id: null }, 'order_id is required'],
    [{ order_id: '   ' }, 'order_id is required'],
    [{ order_id: 12345 }, 'order_id must be a string'],
    [{ order_id: ['ORD-12345'] }, 'order_id must be a string'],
  ])('turns %p into invalid_arguments: %s', (args, message) => {
    const input = new ToolArguments(args);
    input.requiredString('order_id');
    expect(input.problem).toEqual({ error: 'invalid_arguments', message });
  });

  it('keeps the first problem when several arguments are wrong', () => {
    const input = new ToolArguments({ reason: 5 });
    input.requiredString('order_id');
    input.requiredString('reason');
    expect(input.problem?.message).toBe('order_id is required');
  });

  it('refuses arguments that are not an object', () => {
    const input = new ToolArguments(['ORD-12345'] as unknown as Record<string, unknown>);
    input.requiredString('order_id');
    expect(input.problem).toEqual({ error: 'invalid_arguments', message: 'arguments must be a JSON object' });
  });

  it('truncates strings to a maximum length', () => {
    expect(new ToolArguments({ summary: 'x'.repeat(50) }).requiredString('summary', { maxLength: 10 })).toBe('x'.repeat(10));
  });

  it('reads optional integers within bounds', () => {
    expect(new ToolArguments({}).optionalInteger('limit', { min: 1, max: 20 })).toBeUndefined();
    expect(new ToolArguments({ limit: 3 }).optionalInteger('limit', { min: 1, max: 20 })).toBe(3);
    for (const [limit, message] of [
      ['3', 'limit must be an integer'],
      [2.5, 'limit must be an integer'],
      [0, 'limit must be between 1 and 20'],
      [21, 'limit must be between 1 and 20'],
    ] as const) {
      const input = new ToolArguments({ limit });
      input.optionalInteger('limit', { min: 1, max: 20 });
      expect(input.problem).toEqual({ error: 'invalid_arguments', message });
    }
  });

  it('reads enums case-insensitively and refuses other values', () => {
    const levels = ['low', 'normal', 'high'] as const;
    expect(new ToolArguments({ priority: 'HIGH' }).optionalEnum('priority', levels)).toBe('high');
    const input = new ToolArguments({ priority: 'critical' });
    expect(input.optionalEnum('priority', levels)).toBeUndefined();
    expect(input.problem).toEqual({ error: 'invalid_arguments', message: 'priority must be one of low, normal, high' });
  });
});
