import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Sync from '@material-ui/icons/Sync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ScopeSyncStatus } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { useState } from 'react';
import useInterval from 'react-use/esm/useInterval';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { useSyncStatus } from '../../hooks/useCopilotUsageData';
import { formatFigure } from '../../lib/format';

/** How often the panel reloads while a sync runs or waits to resume. */
const POLL_WHILE_RUNNING_MS = 5000;

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

function ScopeStatus(props: { status: ScopeSyncStatus }) {
  const { status } = props;
  const { daysDone, daysTotal } = status.progress;
  const daysKnown =
    status.daysComplete + status.daysNoData + status.daysMissing;
  return (
    <Box mb={2} data-testid={`sync-scope-${status.scope}`}>
      <Typography variant="subtitle1" component="h3">
        {status.scope}
      </Typography>
      {status.running && (
        <Box my={1}>
          <LinearProgress
            variant="determinate"
            value={daysTotal ? (100 * daysDone) / daysTotal : 0}
            aria-label={`Sync progress of ${status.scope}`}
          />
          <Typography variant="caption">
            Syncing: {daysDone} of {daysTotal} days
          </Typography>
        </Box>
      )}
      {status.interrupted && (
        <Typography variant="body2" color="error">
          Interrupted at {daysDone} of {daysTotal} days (last active{' '}
          {formatTime(status.interrupted.since)}); resumes by{' '}
          {formatTime(status.interrupted.resumesBy)}.
        </Typography>
      )}
      <Typography variant="body2">
        Last run: {formatTime(status.lastRunStartedAt)}
        {status.lastRunFinishedAt
          ? `, finished ${formatTime(status.lastRunFinishedAt)}`
          : ''}
      </Typography>
      <Typography variant="body2">
        Stored: {status.daysComplete} of {daysKnown} days (
        {formatFigure(
          daysKnown ? status.daysComplete / daysKnown : null,
          'percent',
        )}
        ); {status.daysNoData} with no data from GitHub (checked again);{' '}
        {status.daysMissing} missing.
        {status.firstDay && ` From ${status.firstDay}`}
        {status.lastCompleteDay && ` to ${status.lastCompleteDay}.`}
      </Typography>
      {status.lastError && (
        <Typography variant="body2" color="error">
          Last error: {status.lastError}
        </Typography>
      )}
      {status.recentFailures.length > 0 && (
        <Box component="ul" pl={2} my={0.5}>
          {status.recentFailures.slice(0, 5).map(failure => (
            <Typography
              component="li"
              variant="caption"
              key={`${failure.day}-${failure.report}-${failure.at}`}
            >
              {failure.day} {failure.report}: {failure.error}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}

/** The sync's state per scope, with "Sync now" (admins). */
export function SyncStatusPanel() {
  const api = useApi(copilotUsageApiRef);
  const { loading, error, value, retry } = useSyncStatus();
  const [message, setMessage] = useState<string>();
  const [triggering, setTriggering] = useState(false);
  // An interrupted sync is polled too, to show when it resumes.
  const active =
    value?.scopes.some(scope => scope.running || scope.interrupted) ?? false;

  useInterval(retry, active ? POLL_WHILE_RUNNING_MS : null);

  const syncNow = async () => {
    setTriggering(true);
    try {
      const outcome = await api.triggerSync();
      setMessage(
        outcome === 'started' ? 'Sync started.' : 'A sync is already running.',
      );
      retry();
    } catch (e) {
      setMessage(`The sync could not be started: ${(e as Error).message}`);
    } finally {
      setTriggering(false);
    }
  };

  let content;
  if (loading && !value) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (value) {
    content =
      value.scopes.length === 0 ? (
        <Typography variant="body2">No sync has run yet.</Typography>
      ) : (
        value.scopes.map(scope => (
          <ScopeStatus key={scope.scope} status={scope} />
        ))
      );
  }

  return (
    <div data-testid="sync-status-panel">
      <InfoCard title="Sync status">
        {content}
        <Box display="flex" alignItems="center" style={{ gap: 12 }}>
          <Button
            variant="contained"
            color="primary"
            startIcon={<Sync />}
            onClick={syncNow}
            disabled={triggering}
          >
            Sync now
          </Button>
          <Typography role="status" variant="body2">
            {message}
          </Typography>
        </Box>
      </InfoCard>
    </div>
  );
}
