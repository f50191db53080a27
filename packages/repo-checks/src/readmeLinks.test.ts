import fs from 'fs';
import path from 'path';
import { readJson, readText, repoRoot } from './repo';

const rootRepository: { url: string } = readJson('package.json').repository;

/** The published packages: every plugins/* package that is not private. */
const packages = fs
  .readdirSync(path.join(repoRoot, 'plugins'))
  .map(dir => `plugins/${dir}`)
  .filter(dir => fs.existsSync(path.join(repoRoot, dir, 'package.json')))
  .filter(dir => !readJson(`${dir}/package.json`).private);

/** Markdown links `[text](target)`, reference definitions and HTML hrefs. */
function linksOf(markdown: string): string[] {
  const inline = [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?[^)]*\)/g)];
  const references = [...markdown.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)];
  const hrefs = [...markdown.matchAll(/href="([^"]+)"/g)];
  return [...inline, ...references, ...hrefs].map(match => match[1]);
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces as hyphens. */
function anchorsOf(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map(match =>
      match[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

/** Where a link into this repository points, relative to the repo root; undefined for other sites. */
function repoPath(link: string): { file: string; anchor?: string } | undefined {
  const prefix = rootRepository.url.replace(/\.git$/, '');
  const match = new RegExp(
    `^${prefix.replace(/[.]/g, '\\.')}/(?:blob|tree)/main/([^#?]+)(?:#(.+))?$`,
  ).exec(link);
  return match ? { file: match[1], anchor: match[2] } : undefined;
}

/** What is wrong with each link of a README, if anything. */
function linkProblems(readme: string): string[] {
  const problems: string[] = [];
  for (const link of linksOf(readme)) {
    if (link.startsWith('#')) {
      if (!anchorsOf(readme).has(link.slice(1))) {
        problems.push(`${link}: no such heading here`);
      }
      continue;
    }
    if (!/^(https:\/\/|mailto:)/.test(link)) {
      problems.push(`${link}: not absolute`);
      continue;
    }
    const target = repoPath(link);
    if (!target) {
      if (link.startsWith(rootRepository.url)) {
        problems.push(`${link}: not a blob/main or tree/main link`);
      }
      continue;
    }
    const file = path.join(repoRoot, target.file);
    if (!fs.existsSync(file)) {
      problems.push(`${link}: no file ${target.file} in the repository`);
    } else if (
      target.anchor &&
      !anchorsOf(fs.readFileSync(file, 'utf8')).has(target.anchor)
    ) {
      problems.push(`${link}: no heading ${target.anchor} in ${target.file}`);
    }
  }
  return problems;
}

describe('package READMEs', () => {
  it('finds the published packages', () => {
    expect(packages.length).toBe(6);
  });

  describe.each(packages)('%s', dir => {
    const pkg = readJson(`${dir}/package.json`);
    const readme = readText(`${dir}/README.md`);

    it('names the repository and its own directory', () => {
      expect(pkg.repository).toEqual({
        type: 'git',
        url: rootRepository.url,
        directory: dir,
      });
    });

    it('ships its README', () => {
      expect(pkg.files ?? ['README.md']).toEqual(
        expect.arrayContaining([expect.stringMatching(/README|^\*|dist/)]),
      );
    });

    it('links only absolutely, to files and headings that exist', () => {
      expect(linkProblems(readme)).toEqual([]);
    });
  });

  it('names what is wrong with a link', () => {
    const base = `${rootRepository.url}/blob/main`;
    expect(
      linkProblems(
        [
          '# Title',
          '[ok](#title) [gone](#nowhere) [rel](../../docs/install.md)',
          `[file](${base}/docs/install.md) [missing](${base}/docs/nothing.md)`,
          `[heading](${base}/docs/install.md#no-such-heading) [site](https://backstage.io)`,
        ].join('\n'),
      ),
    ).toEqual([
      '#nowhere: no such heading here',
      '../../docs/install.md: not absolute',
      `${base}/docs/nothing.md: no file docs/nothing.md in the repository`,
      `${base}/docs/install.md#no-such-heading: no heading no-such-heading in docs/install.md`,
    ]);
  });
});

/** What is wrong with each relative link of a document inside the repository. */
function relativeLinkProblems(file: string): string[] {
  const text = readText(file);
  const problems: string[] = [];
  for (const link of linksOf(text)) {
    if (/^[a-z]+:/i.test(link)) {
      continue;
    }
    const [target, anchor] = link.split('#');
    const resolved = target
      ? path.join(path.dirname(path.join(repoRoot, file)), target)
      : path.join(repoRoot, file);
    if (!fs.existsSync(resolved)) {
      problems.push(`${link}: no such file`);
    } else if (
      anchor &&
      resolved.endsWith('.md') &&
      !anchorsOf(fs.readFileSync(resolved, 'utf8')).has(anchor)
    ) {
      problems.push(`${link}: no heading ${anchor}`);
    }
  }
  return problems;
}

describe('the repository documents', () => {
  const documents = [
    'README.md',
    ...fs
      .readdirSync(path.join(repoRoot, 'docs'))
      .filter(file => file.endsWith('.md'))
      .map(file => `docs/${file}`),
  ];

  it('include the privacy and operations guides', () => {
    expect(documents).toEqual(
      expect.arrayContaining(['docs/privacy.md', 'docs/operations.md']),
    );
  });

  it.each(documents)('%s links to files and headings that exist', file => {
    expect(relativeLinkProblems(file)).toEqual([]);
  });
});
