import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { RepositoryTableRow } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { formatFigure } from '../../lib/format';
import {
  REPOSITORY_FIGURES,
  RepositoryFigureKey,
  figureFormat,
} from './repositoryFigures';

const COLUMNS: RepositoryFigureKey[] = [
  'agentCreated',
  'agentMerged',
  'codeReviewReviewed',
  'suggestions',
  'appliedSuggestions',
  'prsMerged',
  'medianReadyToFirstReview',
];

const cellStyle = { whiteSpace: 'nowrap' as const };
// Headers wrap, so that every column fits a laptop's width; figures never break.
const headerStyle = { minWidth: 96, verticalAlign: 'bottom' as const };

/** The Component's Copilot tab, or its page. */
function ComponentLink(props: { entityRef: string; title: string }) {
  const entityRoute = useRouteRef(entityRouteRef);
  const { kind, namespace, name } = parseEntityRef(props.entityRef);
  return (
    <Link to={`${entityRoute({ kind, namespace, name })}/copilot-usage`}>
      {props.title}
    </Link>
  );
}

/**
 * Repositories and their figures over the range, one row each; scrolls sideways
 * on a narrow screen. Test ids: `repository-row-<owner/name>`.
 */
export function RepositoryTable(props: {
  caption: string;
  rows: RepositoryTableRow[];
}) {
  const { caption, rows } = props;
  return (
    <Box overflow="auto">
      <Table size="small" aria-label={caption}>
        <TableHead>
          <TableRow>
            <TableCell style={{ ...cellStyle, verticalAlign: 'bottom' }}>
              Repository
            </TableCell>
            {COLUMNS.map(key => (
              <TableCell key={key} align="right" style={headerStyle}>
                {REPOSITORY_FIGURES[key].label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow
              key={row.repository.slug}
              data-testid={`repository-row-${row.repository.slug}`}
            >
              <TableCell style={cellStyle}>
                {row.entityRef ? (
                  <ComponentLink
                    entityRef={row.entityRef}
                    title={row.title ?? row.repository.name}
                  />
                ) : (
                  (row.title ?? row.repository.name)
                )}
                <Box
                  component="span"
                  display="block"
                  color="text.secondary"
                  fontSize="0.75rem"
                >
                  {row.repository.owner}/{row.repository.name}
                </Box>
              </TableCell>
              {COLUMNS.map(key => (
                <TableCell
                  key={key}
                  align="right"
                  style={cellStyle}
                  data-testid={`repository-${row.repository.slug}-${key}`}
                >
                  {formatFigure(row.totals[key], figureFormat(key))}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
