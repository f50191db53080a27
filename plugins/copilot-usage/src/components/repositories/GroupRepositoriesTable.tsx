import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { Range } from '../../lib/days';
import { statusOf } from '../dashboard/FailurePanel';
import { RepositoryTable } from './RepositoryTable';
import { REPOSITORY_NOTE } from './repositoryFigures';

/**
 * The Group tab's table of the repositories the Group owns: its Components with
 * `github.com/project-slug` that the viewer may read. Nothing when it owns none.
 */
export function GroupRepositoriesTable(props: {
  entityRef: string;
  range: Range;
}) {
  const { entityRef, range } = props;
  const api = useApi(copilotUsageApiRef);
  const state = useAsyncRetry(
    async () =>
      api.getGroupRepositories
        ? api.getGroupRepositories(entityRef, range)
        : undefined,
    [api, entityRef, range.from, range.to],
  );
  if (state.loading) return <Progress />;
  if (state.error) {
    // A Group the viewer may not read has no repositories to show them.
    return statusOf(state.error) === 404 ? null : (
      <ResponseErrorPanel error={state.error} />
    );
  }
  const rows = state.value?.repositories ?? [];
  if (rows.length === 0) return null;
  return (
    <Box component="section" aria-labelledby="group-repositories-title">
      <Typography variant="h6" component="h2" id="group-repositories-title">
        Repositories
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        Pull requests of the Components this Group owns, {range.from} to{' '}
        {range.to}. {REPOSITORY_NOTE}
      </Typography>
      <RepositoryTable caption="Repositories this Group owns" rows={rows} />
    </Box>
  );
}
