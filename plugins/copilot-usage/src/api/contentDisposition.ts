/** The name a CSV download gets when the response does not name it. */
export const FALLBACK_CSV_FILE_NAME = 'copilot-usage.csv';

/** Only the last path segment: a file name, never a place to save it. */
function baseName(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop()?.trim();
  return base || undefined;
}

/** `filename*=UTF-8''…` (RFC 5987): percent-encoded, with a charset. */
function extendedValue(value: string): string | undefined {
  const match = /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(value);
  if (!match || !/^utf-8$/i.test(match[1])) {
    return undefined;
  }
  try {
    return decodeURIComponent(match[2]);
  } catch {
    return undefined;
  }
}

/**
 * The file name in a `Content-Disposition` header (RFC 6266), as Express's
 * `res.attachment(fileName)` writes it: `filename*` (UTF-8, percent-encoded)
 * wins over `filename` (quoted or a token). `undefined` when there is none.
 */
export function fileNameFromContentDisposition(
  header: string | null | undefined,
): string | undefined {
  if (!header) {
    return undefined;
  }
  const params = new Map<string, string>();
  const param = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const [, name, raw] of header.matchAll(param)) {
    const value = raw.startsWith('"')
      ? raw.slice(1, -1).replace(/\\(.)/g, '$1')
      : raw.trim();
    params.set(name.toLowerCase(), value);
  }
  const extended = params.get('filename*');
  const name =
    (extended !== undefined ? extendedValue(extended) : undefined) ??
    params.get('filename');
  return name === undefined ? undefined : baseName(name);
}
