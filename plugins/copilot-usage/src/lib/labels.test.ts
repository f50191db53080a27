import { breakdownLabel } from './labels';

describe('breakdownLabel', () => {
  it('names IDEs and languages as people know them', () => {
    expect(breakdownLabel('ide', 'vscode')).toBe('VS Code');
    expect(breakdownLabel('ide', 'visualstudio')).toBe('Visual Studio');
    expect(breakdownLabel('ide', 'intellij')).toBe('JetBrains IDEs');
    expect(breakdownLabel('language', 'csharp')).toBe('C#');
    expect(breakdownLabel('language', 'typescript')).toBe('TypeScript');
    expect(breakdownLabel('language', 'cpp')).toBe('C++');
  });

  it('names GitHub features and makes unknown keys readable instead of dropping them', () => {
    expect(breakdownLabel('feature', 'code_completion')).toBe(
      'Code completion',
    );
    expect(breakdownLabel('feature', 'chat_panel_agent_mode')).toBe(
      'Chat: agent mode',
    );
    expect(breakdownLabel('feature', 'new_shiny_thing')).toBe(
      'New shiny thing',
    );
    expect(breakdownLabel('language', 'brainfuck_2')).toBe('Brainfuck 2');
    expect(breakdownLabel('ide', 'fancy_editor')).toBe('Fancy editor');
  });

  it('spells model families and keeps their versions', () => {
    expect(breakdownLabel('model', 'gpt-5-mini')).toBe('GPT-5 mini');
    expect(breakdownLabel('model', 'gpt-4.1')).toBe('GPT-4.1');
    expect(breakdownLabel('model', 'claude-sonnet-4.5')).toBe(
      'Claude Sonnet 4.5',
    );
    expect(breakdownLabel('model', 'gemini-2.5-pro')).toBe('Gemini 2.5 Pro');
    expect(breakdownLabel('model', 'auto')).toBe('Auto (Copilot picks)');
  });
});
