import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  CLIENT_VERSION_FLAGS,
  ClientVersionShare,
  ClientVersionsSummary,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { countOf, formatFigure } from '../../lib/format';
import { breakdownLabel } from '../../lib/labels';

/** A client's name: an editor's friendly name, or the Copilot CLI. */
function clientName(client: string): string {
  return client === 'cli' ? 'Copilot CLI' : breakdownLabel('ide', client);
}

function VersionRow(props: { client: string; version: ClientVersionShare }) {
  const { client, version } = props;
  const plugin = [version.plugin, version.pluginVersion]
    .filter(Boolean)
    .join(' ');
  return (
    <tr data-testid={`client-version-${client}-${version.version}`}>
      <td style={{ padding: '2px 8px 2px 0', whiteSpace: 'nowrap' }}>
        {version.version}
      </td>
      <td style={{ padding: '2px 8px 2px 0', wordBreak: 'break-word' }}>
        {plugin || '–'}
      </td>
      <td style={{ padding: '2px 8px 2px 0', textAlign: 'right' }}>
        {formatFigure(version.users, 'count')}
      </td>
      <td style={{ padding: '2px 8px 2px 0', textAlign: 'right' }}>
        {formatFigure(version.share, 'percent')}
      </td>
      <td style={{ padding: '2px 0' }}>
        {version.flag && (
          <Chip
            size="small"
            color="secondary"
            label="Undercounts agents"
            title={version.flag.label}
            aria-label={version.flag.label}
            data-testid="client-version-flag"
          />
        )}
      </td>
    </tr>
  );
}

/**
 * Which IDE, plugin and CLI versions the period's active users were last seen
 * on, per client, with the versions GitHub named as undercounting agent activity
 * flagged; admins also see whom to ask to upgrade. Test ids: `client-versions-*`.
 */
export function ClientVersionsPanel(props: {
  summary: ClientVersionsSummary | undefined;
}) {
  const { summary } = props;
  if (!summary) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="client-versions-none"
      >
        No client versions known for this period.
      </Typography>
    );
  }
  const unnamed = CLIENT_VERSION_FLAGS.filter(
    flag =>
      flag.fixedIn === null &&
      summary.clients.some(c => c.client === flag.client),
  );
  return (
    <Box data-testid="client-versions-panel">
      <Typography variant="body2" paragraph>
        Each person’s latest known version of each client in the period (
        {countOf(summary.users, 'user')}). Shares are of the client’s users.
      </Typography>
      <Typography
        variant="body2"
        paragraph
        color={summary.flaggedUsers > 0 ? 'error' : 'textSecondary'}
        data-testid="client-versions-flagged"
      >
        {summary.flaggedUsers > 0
          ? `${countOf(summary.flaggedUsers, 'user')} on versions GitHub named as undercounting agent activity since 2026-10-06 (partly counted as CLI, not backfilled): ask them to upgrade.`
          : 'Nobody is on a version GitHub named as undercounting agent activity.'}
      </Typography>
      {summary.flaggedLogins && summary.flaggedLogins.length > 0 && (
        <Box mb={2} data-testid="client-versions-logins">
          <Typography variant="subtitle2" component="h3">
            Whom to ask to upgrade (admins only)
          </Typography>
          <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
            {summary.flaggedLogins.join(', ')}
            {summary.flaggedLogins.length < summary.flaggedUsers &&
              ` and ${countOf(
                summary.flaggedUsers - summary.flaggedLogins.length,
                'more user',
              )}`}
          </Typography>
        </Box>
      )}
      {summary.clients.map(client => (
        <Box
          key={client.client}
          mb={2}
          style={{ overflowX: 'auto' }}
          data-testid={`client-versions-${client.client}`}
        >
          <Typography variant="subtitle2" component="h3">
            {clientName(client.client)} ({countOf(client.users, 'user')})
          </Typography>
          <table
            style={{ borderCollapse: 'collapse', fontSize: '0.875rem' }}
            aria-label={`${clientName(client.client)} versions`}
          >
            <thead>
              <tr>
                <th style={{ textAlign: 'left', paddingRight: 8 }}>Version</th>
                <th style={{ textAlign: 'left', paddingRight: 8 }}>Plugin</th>
                <th style={{ textAlign: 'right', paddingRight: 8 }}>Users</th>
                <th style={{ textAlign: 'right', paddingRight: 8 }}>Share</th>
                <th>
                  <span style={{ position: 'absolute', left: -10000 }}>
                    Flag
                  </span>
                </th>
              </tr>
            </thead>
            <tbody>
              {client.versions.map(version => (
                <VersionRow
                  key={`${version.version}/${version.plugin}/${version.pluginVersion}`}
                  client={client.client}
                  version={version}
                />
              ))}
            </tbody>
          </table>
        </Box>
      ))}
      {unnamed.length > 0 && (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="client-versions-unnamed"
        >
          {unnamed.map(flag => clientName(flag.client)).join(', ')}: GitHub said
          older versions undercount agent activity too, with fixes through
          November 2026, but named no version, so none is flagged; keep them
          updated.
        </Typography>
      )}
    </Box>
  );
}
