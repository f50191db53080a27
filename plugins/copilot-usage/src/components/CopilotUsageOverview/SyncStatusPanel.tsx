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
import {
  describeSyncProgress,
  ScopeSyncStatus,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { useEffect, useState } from 'react';
import useInterval from 'react-use/esm/useInterval';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { useSyncStatus } from '../../hooks/useCopilotUsageData';
import { countOf, formatCount, formatFigure } from '../../lib/format';

/** How often the panel reloads while a sync runs or waits to resume. */
const POLL_WHILE_RUNNING_MS = 5000;

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
          <Typography variant="caption" data-testid="sync-progress">
            {capitalize(describeSyncProgress(status.progress))}
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
        Stored: {formatCount(status.daysComplete)} of{' '}
        {countOf(daysKnown, 'day')} (
        {formatFigure(
          daysKnown ? status.daysComplete / daysKnown : null,
          'percent',
        )}
        ); {formatCount(status.daysNoData)} with no data from GitHub (checked
        again); {formatCount(status.daysMissing)} missing.
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

/** How often the panel reloads while it follows a run started with "Sync now". */
const POLL_WHILE_FOLLOWING_MS = 1000;
/** A followed run that shows no sign of finishing after this is left to the slower poll. */
const FOLLOW_AT_MOST_MS = 10 * 60 * 1000;

/** Where each scope's runs stood when "Sync now" was pressed. */
type RunMarks = Record<string, string | null>;

function runMarks(scopes: ScopeSyncStatus[]): RunMarks {
  return Object.fromEntries(
    scopes.map(scope => [scope.scope, scope.lastRunStartedAt]),
  );
}

/**
 * Whether every scope has run since `before` and finished: a run started
 * after the marks (its start time differs) that is no longer running.
 */
export function followedRunFinished(
  before: RunMarks,
  scopes: ScopeSyncStatus[],
): boolean {
  return (
    scopes.length > 0 &&
    scopes.every(
      scope =>
        !scope.running &&
        scope.lastRunStartedAt !== null &&
        scope.lastRunStartedAt !== before[scope.scope] &&
        scope.lastRunFinishedAt !== null &&
        scope.lastRunFinishedAt >= scope.lastRunStartedAt,
    )
  );
}

/**
 * "Sync finished at 10:02:03, 3 of 3 days fetched, no errors." With several
 * scopes: "Sync finished: org:acme at 10:02:03, ...; enterprise:acme-corp at ...".
 */
export function describeFinishedRun(scopes: ScopeSyncStatus[]): string {
  const parts = scopes.map(scope => {
    const { daysDone, daysTotal } = scope.progress;
    const outcome = scope.lastError
      ? `failed: ${scope.lastError}`
      : `${daysDone} of ${daysTotal} days fetched, no errors`;
    return `${scopes.length > 1 ? `${scope.scope} ` : ''}at ${formatTime(
      scope.lastRunFinishedAt,
    )}, ${outcome}`;
  });
  return `Sync finished${scopes.length > 1 ? ':' : ''} ${parts.join('; ')}.`;
}

/**
 * The sync's state per scope, with "Sync now" (admins). After "Sync now" the
 * panel follows the run: it reloads every second until the run has finished,
 * then says how it went.
 */
export function SyncStatusPanel() {
  const api = useApi(copilotUsageApiRef);
  const { loading, error, value, retry } = useSyncStatus();
  const [message, setMessage] = useState<string>();
  const [triggering, setTriggering] = useState(false);
  const [following, setFollowing] = useState<{
    marks: RunMarks;
    since: number;
  }>();
  // An interrupted sync is polled too, to show when it resumes.
  const active =
    value?.scopes.some(scope => scope.running || scope.interrupted) ?? false;

  let pollMs: number | null = null;
  if (following) pollMs = POLL_WHILE_FOLLOWING_MS;
  else if (active) pollMs = POLL_WHILE_RUNNING_MS;
  useInterval(() => {
    if (!loading) retry();
  }, pollMs);

  useEffect(() => {
    if (!following || !value) return;
    if (followedRunFinished(following.marks, value.scopes)) {
      setFollowing(undefined);
      setMessage(describeFinishedRun(value.scopes));
    } else if (Date.now() - following.since > FOLLOW_AT_MOST_MS) {
      setFollowing(undefined);
      setMessage(
        'The sync is taking long; this panel keeps showing its progress.',
      );
    } else if (value.scopes.some(scope => scope.running)) {
      setMessage('Sync running…');
    }
  }, [following, value]);

  const syncNow = async () => {
    setTriggering(true);
    const marks = runMarks(value?.scopes ?? []);
    try {
      const outcome = await api.triggerSync();
      setMessage(
        outcome === 'started' ? 'Sync started.' : 'A sync is already running.',
      );
      setFollowing({ marks, since: Date.now() });
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
  } else if (error && !value) {
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
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 12 }}
        >
          <Button
            variant="contained"
            color="primary"
            startIcon={<Sync />}
            onClick={syncNow}
            disabled={triggering || Boolean(following)}
          >
            Sync now
          </Button>
          <Typography role="status" variant="body2" data-testid="sync-message">
            {message}
          </Typography>
        </Box>
      </InfoCard>
    </div>
  );
}
