import {
  CLIENT_VERSION_FLAGS,
  clientVersionFlag,
  compareVersions,
} from './clientVersionFlags';

describe('client version flags', () => {
  it('compares versions numerically, not as text', () => {
    expect(compareVersions('1.99.2', '1.139.0')).toBe(-1);
    expect(compareVersions('1.139.0', '1.139.0')).toBe(0);
    expect(compareVersions('1.139', '1.139.0')).toBe(0);
    expect(compareVersions('1.140.1', '1.139.0')).toBe(1);
    expect(compareVersions('1.5.59-243', '1.5.60')).toBe(-1);
    expect(compareVersions('unknown', '1.0.0')).toBeUndefined();
    expect(compareVersions('', '1.0.0')).toBeUndefined();
  });

  it('flags VS Code below 1.139.0 and nothing GitHub gave no version for', () => {
    expect(clientVersionFlag('vscode', '1.107.1')?.id).toBe(
      'agent-undercount-2026-10-06-vscode',
    );
    expect(clientVersionFlag('VSCode', '1.138.9')).toBeDefined();
    expect(clientVersionFlag('vscode', '1.139.0')).toBeUndefined();
    expect(clientVersionFlag('vscode', '1.140.1')).toBeUndefined();
    expect(clientVersionFlag('vscode', 'unknown')).toBeUndefined();
    expect(clientVersionFlag('intellij', '2020.1')).toBeUndefined();
    expect(clientVersionFlag('cli', '0.0.1')).toBeUndefined();
  });

  it('names every IDE of the 2026-10-06 announcement', () => {
    expect(CLIENT_VERSION_FLAGS.map(f => f.client).sort()).toEqual([
      'eclipse',
      'intellij',
      'visualstudio',
      'vscode',
      'xcode',
    ]);
    expect(CLIENT_VERSION_FLAGS.every(f => f.since === '2026-10-06')).toBe(
      true,
    );
  });
});
