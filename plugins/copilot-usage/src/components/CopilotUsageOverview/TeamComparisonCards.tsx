import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useId, useMemo, useState } from 'react';
import { formatFigure } from '../../lib/format';
import type { ComparisonTableRow } from './TeamComparisonTable';

/** Cards shown at first and added by "Show more": a phone scrolls, it does not page. */
const PAGE_SIZE = 25;

type SortKey = 'activeUsers' | 'members' | 'dailyAdoption' | 'title';

const SORTS: Array<{ key: SortKey; label: string }> = [
  { key: 'activeUsers', label: 'Active users' },
  { key: 'members', label: 'Members' },
  { key: 'dailyAdoption', label: 'Daily adoption' },
  { key: 'title', label: 'Name' },
];

function sortRows(rows: ComparisonTableRow[], key: SortKey) {
  const sorted = [...rows];
  if (key === 'title') {
    return sorted.sort((a, b) => a.title.localeCompare(b.title));
  }
  // Busiest first; figures that do not exist last.
  return sorted.sort(
    (a, b) => (b[key] ?? -1) - (a[key] ?? -1) || a.title.localeCompare(b.title),
  );
}

function Figure(props: { label: string; value: string; testId?: string }) {
  return (
    <Box component="div" minWidth={0}>
      <Typography variant="caption" color="textSecondary" component="dt">
        {props.label}
      </Typography>
      <Typography variant="body1" component="dd" data-testid={props.testId}>
        {props.value}
      </Typography>
    </Box>
  );
}

function TeamCard(props: { row: ComparisonTableRow; showOwner: boolean }) {
  const { row, showOwner } = props;
  return (
    <Paper variant="outlined" component="li" data-testid="comparison-card">
      <Box p={1.5}>
        <Typography variant="subtitle1" component="h3">
          {row.entityRef ? (
            <EntityRefLink entityRef={row.entityRef} title={row.title} />
          ) : (
            row.title
          )}
        </Typography>
        {showOwner && (
          <Typography
            variant="caption"
            color="textSecondary"
            data-testid="comparison-card-owner"
          >
            {row.owner}
          </Typography>
        )}
        <Box
          component="dl"
          m={0}
          mt={1}
          display="grid"
          style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 8 }}
        >
          <Figure
            label="Active users (period)"
            value={formatFigure(row.activeUsers, 'count')}
          />
          <Figure
            label="Members (period / last day)"
            value={`${formatFigure(row.members, 'count')} / ${formatFigure(
              row.memberCount,
              'count',
            )}`}
          />
          <Figure
            label="Daily adoption"
            value={formatFigure(row.dailyAdoption, 'percent')}
          />
          <Figure
            label="Completion acceptance"
            value={formatFigure(row.completionAcceptanceRate, 'percent')}
          />
          <Figure
            label="Lines added"
            value={formatFigure(row.locAdded, 'count')}
          />
          <Figure label="Eligible" value={row.eligible} />
        </Box>
      </Box>
    </Paper>
  );
}

/**
 * The team comparison on a narrow screen: one card per team with the figures
 * people compare first, searchable and sortable, instead of a table that
 * scrolls sideways to reach them. Test ids `comparison-cards`, `comparison-card`.
 */
export function TeamComparisonCards(props: {
  rows: ComparisonTableRow[];
  /** Whether each card names the team's org, or the enterprise (as the table's column). */
  showOwner?: boolean;
}) {
  const { showOwner = false } = props;
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortKey>('activeUsers');
  const [shown, setShown] = useState(PAGE_SIZE);
  const sortLabelId = useId();
  const searchId = useId();
  const matching = useMemo(() => {
    const needle = search.trim().toLocaleLowerCase();
    const found = needle
      ? props.rows.filter(row =>
          `${row.title} ${row.slug}`.toLocaleLowerCase().includes(needle),
        )
      : props.rows;
    return sortRows(found, sort);
  }, [props.rows, search, sort]);
  return (
    <Box data-testid="comparison-cards">
      <Typography variant="h6" component="h2" gutterBottom>
        Team comparison ({formatFigure(props.rows.length, 'count')}{' '}
        {props.rows.length === 1 ? 'team' : 'teams'})
      </Typography>
      <Box display="flex" flexWrap="wrap" mb={1.5} style={{ gap: 12 }}>
        <TextField
          id={searchId}
          label="Find a team"
          size="small"
          value={search}
          onChange={event => setSearch(event.target.value)}
          style={{ flex: '1 1 160px' }}
        />
        <FormControl size="small" style={{ flex: '1 1 140px' }}>
          <InputLabel id={sortLabelId}>Sort by</InputLabel>
          <Select
            labelId={sortLabelId}
            value={sort}
            onChange={event => setSort(event.target.value as SortKey)}
          >
            {SORTS.map(option => (
              <MenuItem key={option.key} value={option.key}>
                {option.label}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Box>
      <Box
        component="ul"
        p={0}
        m={0}
        display="flex"
        flexDirection="column"
        style={{ listStyle: 'none', gap: 8 }}
      >
        {matching.slice(0, shown).map(row => (
          <TeamCard key={row.id} row={row} showOwner={showOwner} />
        ))}
      </Box>
      {matching.length === 0 && (
        <Typography variant="body2">No team matches “{search}”.</Typography>
      )}
      {matching.length > shown && (
        <Box mt={1.5}>
          <Button
            variant="outlined"
            onClick={() => setShown(shown + PAGE_SIZE)}
          >
            Show more ({formatFigure(matching.length - shown, 'count')} left)
          </Button>
        </Box>
      )}
    </Box>
  );
}
