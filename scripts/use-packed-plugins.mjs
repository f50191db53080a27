#!/usr/bin/env node
/*
 * Before the first release: points a Backstage app at the packed packages of this
 * repository. Run at the app's root with the directory `yarn pack:plugins` wrote to:
 *
 *   node <clone>/scripts/use-packed-plugins.mjs copilot-usage-packages
 *
 * It adds a `resolutions` entry per tarball to the app's package.json, so that
 * `yarn add @copilot-usage/<package>@^<version>` (the guide's commands) and the
 * packages' dependencies on each other install the tarballs. Once the packages are on
 * the npm registry, remove those entries and the directory.
 */
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir || !fs.existsSync(dir)) {
  console.error(
    'usage: use-packed-plugins.mjs <directory with the .tgz files>',
  );
  process.exit(2);
}
const tarballs = fs
  .readdirSync(dir)
  .map(file => ({
    file,
    match: /^@copilot-usage-(.+)-(\d+\.\d+\.\d+)\.tgz$/.exec(file),
  }))
  .filter(entry => entry.match);
if (tarballs.length === 0) {
  console.error(
    `no @copilot-usage-*.tgz in ${dir}: run yarn pack:plugins in the clone first`,
  );
  process.exit(1);
}
const pkgFile = path.resolve('package.json');
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
pkg.resolutions = { ...pkg.resolutions };
for (const { file, match } of tarballs) {
  const name = `@copilot-usage/${match[1]}`;
  pkg.resolutions[name] =
    `file:./${path.posix.join(path.relative('.', dir).split(path.sep).join('/'), file)}`;
  console.log(`${name}@^${match[2]} -> ${pkg.resolutions[name]}`);
}
fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
