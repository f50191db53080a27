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
    ['[1.]', 1],
    ['[1e]', 1],
    ['[tru]', 1],
    ['["a\\x"]', 1],
    ['["a\\u12G4"]', 1],
    ['["a\nb"]', 1],
    ['[1] 2', 4],
    ['[1', 2],
    ['{"a": [1, 2}', 11],
  ])('finds the token where %j stops being JSON at %d', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('does not fail on nesting deeper than the stack', () => {
    const deep = `${'['.repeat(100_000)}}`;
    expect(() => jsonErrorOffset(deep)).not.toThrow();
    expect(jsonErrorOffset('[[[[1}')).toBe(5);
  });
});
