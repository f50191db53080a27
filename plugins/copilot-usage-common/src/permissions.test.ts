import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  copilotUsageAdminPermission,
  copilotUsageArchiveRestorePermission,
  copilotUsageHistoryImportPermission,
  copilotUsageOrgReadPermission,
  copilotUsagePermissions,
  copilotUsageSyncCreatePermission,
  copilotUsageTeamReadPermission,
  copilotUsageUserDeletePermission,
  copilotUsageWritePermissions,
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

  // An external-access token restricted to `permissionAttribute: { action: read }`
  // must not be able to change anything: every write has a non-read action.
  it('gives the writes their own basic permissions with write actions', () => {
    expect(copilotUsageWritePermissions).toEqual([
      {
        type: 'basic',
        name: 'copilot-usage.sync.create',
        attributes: { action: 'create' },
      },
      {
        type: 'basic',
        name: 'copilot-usage.history.import',
        attributes: { action: 'create' },
      },
      {
        type: 'basic',
        name: 'copilot-usage.archive.restore',
        attributes: { action: 'update' },
      },
      {
        type: 'basic',
        name: 'copilot-usage.user.delete',
        attributes: { action: 'delete' },
      },
    ]);
    expect(copilotUsageWritePermissions).toEqual([
      copilotUsageSyncCreatePermission,
      copilotUsageHistoryImportPermission,
      copilotUsageArchiveRestorePermission,
      copilotUsageUserDeletePermission,
    ]);
  });

  it('keeps every other permission a read', () => {
    const reads = copilotUsagePermissions.filter(
      p => !copilotUsageWritePermissions.includes(p as any),
    );
    expect(reads.map(p => p.name)).toEqual([
      'copilot-usage.team.read',
      'copilot-usage.org.read',
      'copilot-usage.admin',
    ]);
    expect(reads.every(p => p.attributes.action === 'read')).toBe(true);
  });

  it('lists every permission once, all named copilot-usage.*', () => {
    const names = copilotUsagePermissions.map(p => p.name);
    expect(new Set(names).size).toBe(7);
    expect(names).toHaveLength(7);
    expect(names.every(name => name.startsWith('copilot-usage.'))).toBe(true);
  });
});
