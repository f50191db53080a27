import { jsonErrorOffset } from './jsonSyntaxError';

describe('jsonErrorOffset', () => {
  it.each([
    '{}',
    '[]',
    ' [1, -2.5e+3, 0, "a\\u00e9\\n", true, false, null, {"a": [{}]}] ',
    '"text"',
    '0',
  ])('accepts what JSON.parse accepts: %s', text => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(jsonErrorOffset(text)).toBeUndefined();
  });

  it.each([
    ['hello', 0],
    ['', 0],
    ['[1, NaN]', 4],
    ['{"a": Infinity}', 6],
    ['[1,]', 3],
    ['{"a": 1,}', 8],
    ["{'a': 1}", 1],
    ['{"a" 1}', 5],
    ['[01]', 2],
    ['[1.]', 3],
    ['[1e]', 3],
    ['[tru]', 4],
    ['["a\\x"]', 4],
    ['["a\\u12G4"]', 7],
    ['["a\nb"]', 3],
    ['[1] 2', 4],
    ['[1', 2],
    ['{"a": [1, 2}', 11],
  ])('finds the first wrong character of %j at %d', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('reads deep nesting without a deep stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(jsonErrorOffset(deep)).toBeUndefined();
    expect(jsonErrorOffset(`${deep.slice(0, -1)}}`)).toBe(deep.length - 1);
  });
});
