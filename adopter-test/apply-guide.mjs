#!/usr/bin/env node
/*
 * Applies the steps of docs/install.md to a Backstage app, literally: every fenced block
 * that follows an `<!-- adopter-test: ACTION ... -->` comment is one step.
 *
 *   node adopter-test/apply-guide.mjs --guide docs/install.md --app <dir>
 *     [--variant policy-module] [--variant legacy] [--legacy-app packages/app-legacy]
 *     [--only-variant pre-release] [--list]
 *
 * Actions (FILE is relative to the app root):
 *   run                         run the block with bash at the app root (set -euo pipefail)
 *   insert FILE before|after /RE/flags [following /RE/flags]
 *                               insert the block before/after the first match of RE
 *                               (after the first match of the `following` RE, if given)
 *   prepend FILE                put the block at the top of FILE (imports)
 *   delete FILE                 remove the block's text from FILE (whitespace-insensitive)
 *   create FILE                 write the block as FILE (must not exist)
 *   merge-yaml FILE             deep-merge the YAML block into FILE (arrays replaced)
 * Options on any action:
 *   variant=NAME                only with --variant NAME (or --only-variant NAME, which
 *                               applies the steps of that variant and nothing else)
 *   each-app                    (run) once per frontend app: packages/app, and the legacy app
 * Steps of variant `legacy` address packages/app; they are applied to --legacy-app.
 *
 * A step that cannot be applied (anchor not found, text to delete missing, command
 * failing) stops with a non-zero exit: the guide no longer matches a fresh app.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function parseArgs(argv) {
  const args = { variants: [], list: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--guide') args.guide = argv[++i];
    else if (a === '--app') args.app = path.resolve(argv[++i]);
    else if (a === '--variant') args.variants.push(argv[++i]);
    else if (a === '--legacy-app') args.legacyApp = argv[++i];
    else if (a === '--only-variant') args.only = argv[++i];
    else if (a === '--list') args.list = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.guide || (!args.app && !args.list)) {
    throw new Error(
      'usage: apply-guide.mjs --guide FILE --app DIR [--variant V]...',
    );
  }
  return args;
}

/** `/source/flags` → RegExp */
function parseRegex(token) {
  const m = /^\/(.*)\/([a-z]*)$/.exec(token);
  if (!m) throw new Error(`not a /regex/: ${token}`);
  return new RegExp(m[1], m[2]);
}

/** Splits a marker's argument string into words, keeping /regex/ tokens whole. */
function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    if (text[i] === '/') {
      // a regex runs to the next `/` followed by optional flags and a space or the end
      const end = /\/[a-z]*(?= |$)/g;
      end.lastIndex = i + 1;
      const m = end.exec(text);
      if (!m) throw new Error(`unterminated regex in: ${text}`);
      tokens.push(text.slice(i, m.index + m[0].length));
      i = m.index + m[0].length;
      continue;
    }
    const next = text.indexOf(' ', i);
    const stop = next === -1 ? text.length : next;
    tokens.push(text.slice(i, stop));
    i = stop;
  }
  return tokens;
}

export function parseGuide(markdown) {
  const steps = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- adopter-test: (.*) -->\s*$/.exec(lines[i]);
    if (!marker) continue;
    const fence = /^```(\w*)\s*$/.exec(lines[i + 1] ?? '');
    if (!fence) {
      throw new Error(
        `line ${i + 1}: an adopter-test marker must be followed by a fenced block`,
      );
    }
    const end = lines.findIndex((l, j) => j > i + 1 && /^```\s*$/.test(l));
    if (end === -1) throw new Error(`line ${i + 2}: unterminated fenced block`);
    const words = tokenize(marker[1].trim());
    const options = {};
    const positional = [];
    for (const w of words) {
      const kv = /^(variant)=(.+)$/.exec(w);
      if (kv) options[kv[1]] = kv[2];
      else if (w === 'each-app') options.eachApp = true;
      else positional.push(w);
    }
    steps.push({
      line: i + 1,
      action: positional[0],
      args: positional.slice(1),
      ...options,
      body: `${lines.slice(i + 2, end).join('\n')}\n`,
    });
    i = end;
  }
  return steps;
}

function readFile(file) {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  return fs.readFileSync(file, 'utf8');
}

function insert(file, body, args) {
  const [where, anchorToken, following, followingToken] = args;
  if (!['before', 'after'].includes(where))
    throw new Error(`insert: before|after, got ${where}`);
  const text = readFile(file);
  let from = 0;
  if (following) {
    if (following !== 'following')
      throw new Error(`insert: unexpected ${following}`);
    const m = parseRegex(followingToken).exec(text);
    if (!m) throw new Error(`${followingToken} not found in ${file}`);
    from = m.index;
  }
  const anchor = parseRegex(anchorToken);
  const m = anchor.exec(text.slice(from));
  if (!m) throw new Error(`${anchorToken} not found in ${file}`);
  const start = from + m.index;
  let at;
  if (where === 'before') {
    at = text.lastIndexOf('\n', start - 1) + 1; // start of the anchor's line
  } else {
    const eol = text.indexOf('\n', start + m[0].length);
    at = eol === -1 ? text.length : eol + 1; // after the anchor's line
  }
  const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
  fs.writeFileSync(file, text.slice(0, at) + prefix + body + text.slice(at));
}

function remove(file, body) {
  const text = readFile(file);
  // Match the block with any whitespace between its tokens (formatting may differ).
  const words = body
    .trim()
    .split(/\s+/)
    .map(w => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`[ \\t]*${words.join('\\s*')}[ \\t]*\\n?`);
  if (!re.test(text))
    throw new Error(`text to delete not found in ${file}:\n${body}`);
  fs.writeFileSync(file, text.replace(re, ''));
}

function mergeYaml(file, body, appDir) {
  // The app's own `yaml` (every Backstage app has it), so this script needs no install.
  const YAML = createRequire(path.join(appDir, 'package.json'))('yaml');
  const doc = YAML.parseDocument(readFile(file));
  const patch = YAML.parse(body);
  const merge = (basePath, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) merge([...basePath, k], v);
    } else {
      doc.setIn(basePath, value);
    }
  };
  merge([], patch);
  fs.writeFileSync(file, doc.toString());
}

function run(body, cwd, appPath) {
  const script =
    appPath === 'packages/app'
      ? body
      : body.replaceAll('packages/app ', `${appPath} `);
  execFileSync('bash', ['-c', `set -euo pipefail\n${script}`], {
    cwd,
    stdio: 'inherit',
  });
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const steps = parseGuide(fs.readFileSync(args.guide, 'utf8'));
  const chosen = steps.filter(s =>
    args.only
      ? s.variant === args.only
      : !s.variant || args.variants.includes(s.variant),
  );
  if (args.list) {
    for (const s of steps) {
      const on = chosen.includes(s) ? '+' : '-';
      console.log(
        `${on} line ${s.line}: ${s.action} ${s.args.join(' ')}${s.variant ? ` [${s.variant}]` : ''}`,
      );
    }
    return;
  }
  const legacyApp = args.legacyApp ?? 'packages/app';
  for (const step of chosen) {
    const mapPath = p =>
      step.variant === 'legacy' && p.startsWith('packages/app/')
        ? legacyApp + p.slice('packages/app'.length)
        : p;
    const file = step.args[0] && path.join(args.app, mapPath(step.args[0]));
    const label = `docs/install.md:${step.line} ${step.action} ${step.args[0] ? mapPath(step.args[0]) : ''}`;
    console.log(
      `\n=== guide step ${label}${step.variant ? ` [${step.variant}]` : ''}`,
    );
    try {
      switch (step.action) {
        case 'run': {
          const apps = step.eachApp
            ? ['packages/app', ...(args.legacyApp ? [args.legacyApp] : [])]
            : [step.variant === 'legacy' ? legacyApp : 'packages/app'];
          for (const app of apps) run(step.body, args.app, app);
          break;
        }
        case 'insert':
          insert(file, step.body, step.args.slice(1));
          break;
        case 'prepend':
          fs.writeFileSync(file, step.body + readFile(file));
          break;
        case 'delete':
          remove(file, step.body);
          break;
        case 'create':
          if (fs.existsSync(file)) throw new Error(`${file} exists already`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, step.body);
          break;
        case 'merge-yaml':
          mergeYaml(file, step.body, args.app);
          break;
        default:
          throw new Error(`unknown action ${step.action}`);
      }
    } catch (error) {
      console.error(`guide step failed (${label}): ${error.message}`);
      process.exit(1);
    }
  }
  console.log(`\napplied ${chosen.length} guide steps`);
}

main();
