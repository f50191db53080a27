/*
 * Names people know for the raw keys GitHub's reports use (IDEs, languages,
 * features, models). A key not listed here is shown made readable, never
 * dropped, so a new IDE or language still appears.
 */
import { BreakdownDimension } from '@copilot-usage/backstage-plugin-copilot-usage-common';

const IDE_NAMES: Record<string, string> = {
  vscode: 'VS Code',
  'vscode-insiders': 'VS Code Insiders',
  visualstudio: 'Visual Studio',
  intellij: 'JetBrains IDEs',
  jetbrains: 'JetBrains IDEs',
  neovim: 'Neovim',
  vim: 'Vim',
  xcode: 'Xcode',
  eclipse: 'Eclipse',
  zed: 'Zed',
  emacs: 'Emacs',
  github_com: 'GitHub.com',
  'github.com': 'GitHub.com',
  copilot_cli: 'Copilot CLI',
  unknown: 'Other',
};

const LANGUAGE_NAMES: Record<string, string> = {
  csharp: 'C#',
  fsharp: 'F#',
  cpp: 'C++',
  c: 'C',
  'objective-c': 'Objective-C',
  objectivec: 'Objective-C',
  'objective-cpp': 'Objective-C++',
  javascript: 'JavaScript',
  javascriptreact: 'JavaScript (React)',
  typescript: 'TypeScript',
  typescriptreact: 'TypeScript (React)',
  python: 'Python',
  java: 'Java',
  go: 'Go',
  ruby: 'Ruby',
  rust: 'Rust',
  kotlin: 'Kotlin',
  swift: 'Swift',
  scala: 'Scala',
  php: 'PHP',
  html: 'HTML',
  css: 'CSS',
  scss: 'SCSS',
  sql: 'SQL',
  yaml: 'YAML',
  json: 'JSON',
  jsonc: 'JSON with comments',
  xml: 'XML',
  markdown: 'Markdown',
  shellscript: 'Shell script',
  shell: 'Shell',
  bash: 'Bash',
  powershell: 'PowerShell',
  dockerfile: 'Dockerfile',
  terraform: 'Terraform',
  hcl: 'HCL',
  dart: 'Dart',
  elixir: 'Elixir',
  haskell: 'Haskell',
  lua: 'Lua',
  perl: 'Perl',
  r: 'R',
  vue: 'Vue',
  svelte: 'Svelte',
  graphql: 'GraphQL',
  plaintext: 'Plain text',
  unknown: 'Other',
  others: 'Other',
};

// GitHub's feature keys.
const FEATURE_NAMES: Record<string, string> = {
  code_completion: 'Code completion',
  chat_inline: 'Inline chat',
  chat_panel_ask_mode: 'Chat: ask mode',
  chat_panel_edit_mode: 'Chat: edit mode',
  chat_panel_agent_mode: 'Chat: agent mode',
  chat_panel_plan_mode: 'Chat: plan mode',
  chat_panel_custom_mode: 'Chat: custom mode',
  chat_panel_unknown_mode: 'Chat: other modes',
  agent_edit: 'Agent edits',
  copilot_cli: 'Copilot CLI',
  copilot_app: 'Copilot app',
  code_review: 'Code review',
};

// Words in model names that have a fixed spelling.
const MODEL_WORDS: Record<string, string> = {
  gpt: 'GPT',
  claude: 'Claude',
  gemini: 'Gemini',
  sonnet: 'Sonnet',
  haiku: 'Haiku',
  opus: 'Opus',
  mini: 'mini',
  pro: 'Pro',
  flash: 'Flash',
  grok: 'Grok',
  auto: 'Auto',
  o1: 'o1',
  o3: 'o3',
  o4: 'o4',
};

function readable(key: string): string {
  const words = key.replace(/[_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `gpt-5-mini` → `GPT-5 mini`, `claude-sonnet-4.5` → `Claude Sonnet 4.5`. */
function modelName(key: string): string {
  if (key === 'auto') return 'Auto (Copilot picks)';
  const parts = key.split('-');
  const out: string[] = [];
  for (const part of parts) {
    const word = MODEL_WORDS[part.toLowerCase()];
    // "GPT-5": a version right after the family name keeps its hyphen.
    if (out.length > 0 && /^\d/.test(part) && out[out.length - 1] === 'GPT') {
      out[out.length - 1] = `GPT-${part}`;
    } else {
      out.push(word ?? part);
    }
  }
  return out.join(' ');
}

/** The name shown for a breakdown value, e.g. `VS Code` for the IDE `vscode`. */
export function breakdownLabel(
  dimension: BreakdownDimension | string,
  key: string,
): string {
  const lower = key.toLowerCase();
  switch (dimension) {
    case 'ide':
      return IDE_NAMES[lower] ?? readable(key);
    case 'language':
      return LANGUAGE_NAMES[lower] ?? readable(key);
    case 'feature':
      return FEATURE_NAMES[lower] ?? readable(key);
    case 'model':
      return modelName(key);
    default:
      return key;
  }
}
