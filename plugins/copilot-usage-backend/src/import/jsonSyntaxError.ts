import { visit } from 'jsonc-parser';

/*
 * Where a text stops being JSON. Node 20's JSON.parse messages often carry no
 * offset (e.g. for `NaN`, which Python's json.dump writes, or for a body that is no
 * JSON at all), so the offset comes from jsonc-parser's scanner, in strict JSON mode,
 * run only after JSON.parse failed. It names the start of the offending token.
 */

/** Offset (0-based) of the token where the text stops being JSON; undefined for valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let offset: number | undefined;
  try {
    visit(
      text,
      {
        onError: (_error, at) => {
          offset ??= at;
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
  } catch {
    // Nesting deeper than the stack: the caller falls back to V8's message.
  }
  return offset;
}
