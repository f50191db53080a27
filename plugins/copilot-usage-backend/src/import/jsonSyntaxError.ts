/*
 * Where a text stops being JSON. Node 20's JSON.parse messages often carry no
 * offset (e.g. for `NaN`, which Python's json.dump writes, or for a body that is no
 * JSON at all), so the offset is found here by a reader of the JSON grammar (RFC
 * 8259) that runs only after JSON.parse failed. Iterative: deep nesting needs no stack.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;
const LITERALS = ['true', 'false', 'null'];

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'after';

/** Offset (0-based) of the first character that is not valid JSON, or undefined for valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  const stack: Array<'{' | '['> = [];
  let i = 0;
  let expect: Expect = 'value';

  const digits = (from: number) => {
    let j = from;
    while (j < n && text[j] >= '0' && text[j] <= '9') j++;
    return j;
  };
  /** End of the string starting at `from` (a quote), or a negative -(offset+1) of the error. */
  const string = (from: number): number => {
    let j = from + 1;
    while (j < n) {
      const ch = text[j];
      if (ch === '"') return j + 1;
      if (ch === '\\') {
        const escape = text[j + 1];
        if (escape === 'u') {
          if (!HEX.test(text.slice(j + 2, j + 6))) {
            return -(firstNonHex(text, j + 2) + 1);
          }
          j += 6;
        } else if (escape !== undefined && ESCAPES.has(escape)) {
          j += 2;
        } else {
          return -(Math.min(j + 1, n) + 1);
        }
      } else if (ch.charCodeAt(0) < 0x20) {
        return -(j + 1);
      } else {
        j++;
      }
    }
    return -(n + 1);
  };
  /** End of the number starting at `from`, or a negative -(offset+1) of the error. */
  const number = (from: number): number => {
    let j = from;
    if (text[j] === '-') j++;
    if (text[j] === '0') {
      j++;
    } else if (text[j] >= '1' && text[j] <= '9') {
      j = digits(j);
    } else {
      return -(j + 1);
    }
    if (text[j] === '.') {
      const end = digits(j + 1);
      if (end === j + 1) return -(j + 2);
      j = end;
    }
    if (text[j] === 'e' || text[j] === 'E') {
      j++;
      if (text[j] === '+' || text[j] === '-') j++;
      const end = digits(j);
      if (end === j) return -(j + 1);
      j = end;
    }
    return j;
  };

  for (;;) {
    while (i < n && WHITESPACE.has(text[i])) i++;
    if (i >= n) {
      return expect === 'after' && stack.length === 0 ? undefined : n;
    }
    const ch = text[i];
    if (expect === 'keyOrEnd' || expect === 'key') {
      if (expect === 'keyOrEnd' && ch === '}') {
        stack.pop();
        i++;
        expect = 'after';
        continue;
      }
      if (ch !== '"') return i;
      const end = string(i);
      if (end < 0) return -end - 1;
      i = end;
      while (i < n && WHITESPACE.has(text[i])) i++;
      if (text[i] !== ':') return i;
      i++;
      expect = 'value';
      continue;
    }
    if (expect === 'after') {
      const top = stack[stack.length - 1];
      if (!top) return i;
      if (ch === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
      } else if (ch === (top === '{' ? '}' : ']')) {
        stack.pop();
        i++;
      } else {
        return i;
      }
      continue;
    }
    // A value (or, right after `[`, the end of the array).
    if (expect === 'valueOrEnd' && ch === ']') {
      stack.pop();
      i++;
      expect = 'after';
      continue;
    }
    if (ch === '{' || ch === '[') {
      stack.push(ch);
      i++;
      expect = ch === '{' ? 'keyOrEnd' : 'valueOrEnd';
      continue;
    }
    let end: number;
    if (ch === '"') {
      end = string(i);
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      end = number(i);
    } else {
      end = literal(text, i);
    }
    if (end < 0) return -end - 1;
    i = end;
    expect = 'after';
  }
}

/** End of `true`, `false` or `null` at `from`, or -(offset+1) of the first wrong character. */
function literal(text: string, from: number): number {
  const candidate = LITERALS.find(word => word[0] === text[from]);
  if (!candidate) return -(from + 1);
  for (let k = 1; k < candidate.length; k++) {
    if (text[from + k] !== candidate[k]) return -(from + k + 1);
  }
  return from + candidate.length;
}

function firstNonHex(text: string, from: number): number {
  let j = from;
  while (j < from + 4 && j < text.length && /[0-9a-fA-F]/.test(text[j])) j++;
  return j;
}
