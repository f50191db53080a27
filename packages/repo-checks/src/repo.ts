import fs from 'fs';
import path from 'path';

/** The repository's root directory (this package lives in packages/repo-checks). */
// This package is never built or published: its source directory is where it runs.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export function readJson<T = any>(relativePath: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, relativePath), 'utf8'));
}

export function readText(relativePath: string): string {
  return fs.readFileSync(path.join(repoRoot, relativePath), 'utf8');
}
