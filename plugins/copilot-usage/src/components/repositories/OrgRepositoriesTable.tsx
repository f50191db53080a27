import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { Range } from '../../lib/days';
import { FailurePanel } from '../dashboard/FailurePanel';
import { RepositoryTable } from './RepositoryTable';
import { REPOSITORY_NOTE } from './repositoryFigures';

/** The admins' table of every repository of an org (the overview's Repositories tab). */
export function OrgRepositoriesTable(props: { org: string; range: Range }) {
  const { org, range } = props;
  const api = useApi(copilotUsageApiRef);
  const state = useAsyncRetry(
    async () =>
      api.getOrgRepositories ? api.getOrgRepositories(org, range) : undefined,
    [api, org, range.from, range.to],
  );
  if (state.loading) return <Progress />;
  if (state.error) {
    return (
      <FailurePanel
        error={state.error}
        forbidden={{
          title: 'The repository table is for Copilot usage admins',
          description:
            'Each repository’s figures are on the Copilot tab of its Component.',
        }}
      />
    );
  }
  const rows = state.value?.repositories ?? [];
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      <Typography variant="body2" color="textSecondary">
        Repositories of {org} with pull request activity, {range.from} to{' '}
        {range.to}. {REPOSITORY_NOTE}
      </Typography>
      {rows.length === 0 ? (
        <Typography variant="body2">
          No repository of {org} has figures in this period.
        </Typography>
      ) : (
        <RepositoryTable caption={`Repositories of ${org}`} rows={rows} />
      )}
    </Box>
  );
}
