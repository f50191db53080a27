import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  copilotUsageAdminPermission,
  copilotUsageOrgReadPermission,
  copilotUsagePermissions,
  copilotUsageTeamReadPermission,
} from './permissions';

describe('copilot usage permissions', () => {
  it('makes team read a resource permission on copilot-usage-team', () => {
    expect(
      isResourcePermission(
        copilotUsageTeamReadPermission,
        'copilot-usage-team',
      ),
    ).toBe(true);
    expect(copilotUsageTeamReadPermission.name).toBe('copilot-usage.team.read');
  });

  it('makes org read and admin basic permissions', () => {
    expect(copilotUsageOrgReadPermission).toEqual({
      type: 'basic',
      name: 'copilot-usage.org.read',
      attributes: { action: 'read' },
    });
    expect(copilotUsageAdminPermission).toEqual({
      type: 'basic',
      name: 'copilot-usage.admin',
      attributes: { action: 'read' },
    });
  });

  it('lists every permission once, all named copilot-usage.*', () => {
    const names = copilotUsagePermissions.map(p => p.name);
    expect(new Set(names).size).toBe(3);
    expect(names.every(name => name.startsWith('copilot-usage.'))).toBe(true);
  });
});
