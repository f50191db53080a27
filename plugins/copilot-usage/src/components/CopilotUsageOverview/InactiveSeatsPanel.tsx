import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme } from '@material-ui/core/styles';
import { Table, TableColumn } from '@backstage/core-components';
import {
  InactiveSeat,
  InactiveSeatsResponse,
  TeamOwner,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { inactiveSeatsPath } from '../../api/paths';
import { useInactiveSeats } from '../../hooks/useCopilotUsageData';
import { formatCount } from '../../lib/format';
import { breakdownLabel } from '../../lib/labels';
import { CsvDownloadButton } from '../controls/CsvDownloadButton';
import { SeatsCard } from './SeatsCard';
import { ownerName } from './SeatsPanel';

/**
 * GitHub's `last_activity_editor` (`vscode/1.96.0/copilot-chat/0.23.0`) as
 * people name it: `VS Code 1.96.0`; the raw text is the cell's title.
 */
export function editorName(editor: string | null): string {
  if (!editor) return '–';
  const [ide, version] = editor.split('/');
  const name = breakdownLabel('ide', ide);
  return version ? `${name} ${version}` : name;
}

/** The day of a timestamp (UTC, as every day in the plugin), or `Never`. */
function lastActivityDay(seat: InactiveSeat): string {
  if (!seat.lastActivityAt) return 'Never';
  const time = Date.parse(seat.lastActivityAt);
  return Number.isNaN(time)
    ? seat.lastActivityAt
    : new Date(time).toISOString().slice(0, 10);
}

function statusText(seat: InactiveSeat): string {
  return `${seat.status === 'never-used' ? 'Never used' : 'Inactive'}${
    seat.pendingCancellationDate ? ' (cancellation pending)' : ''
  }`;
}

/** Where a seat comes from: `acme-labs/research; acme`, one entry per grant. */
export function grantsText(seat: InactiveSeat): string {
  return (
    seat.grantedBy
      .map(({ org, team }) => [org, team].filter(Boolean).join('/'))
      .join('; ') || '–'
  );
}

/** Seats a phone lists; the CSV has every one. */
const PHONE_LIST_LENGTH = 25;

/** On a phone: one line per seat, login first, instead of a four-column table. */
function SeatList(props: { seats: InactiveSeat[] }) {
  const more = props.seats.length - PHONE_LIST_LENGTH;
  return (
    <>
      <List dense disablePadding aria-label="Seats not used in 30 days">
        {props.seats.slice(0, PHONE_LIST_LENGTH).map(seat => (
          <ListItem key={seat.login} divider disableGutters>
            <ListItemText
              primary={seat.login}
              secondary={
                seat.status === 'never-used'
                  ? statusText(seat)
                  : `${statusText(seat)}: last used ${lastActivityDay(
                      seat,
                    )} in ${editorName(seat.lastActivityEditor)}`
              }
            />
          </ListItem>
        ))}
      </List>
      {more > 0 && (
        <Typography variant="body2" color="textSecondary">
          And {formatCount(more)} more: the CSV lists every seat.
        </Typography>
      )}
    </>
  );
}

const baseColumns: TableColumn<InactiveSeat>[] = [
  { title: 'Login', field: 'login', highlight: true },
  {
    title: 'Last activity',
    field: 'lastActivityAt',
    // Never used first, as the backend orders them.
    customSort: (a, b) =>
      (a.lastActivityAt ? Date.parse(a.lastActivityAt) : 0) -
      (b.lastActivityAt ? Date.parse(b.lastActivityAt) : 0),
    render: seat => lastActivityDay(seat),
  },
  {
    title: 'Editor',
    field: 'lastActivityEditor',
    render: seat => (
      <span title={seat.lastActivityEditor ?? undefined}>
        {editorName(seat.lastActivityEditor)}
      </span>
    ),
  },
  {
    title: 'Status',
    field: 'status',
    render: statusText,
  },
];

/** The enterprise's list also says where each person's seats come from. */
const grantColumn: TableColumn<InactiveSeat> = {
  title: 'Granted by',
  field: 'grantedBy',
  sorting: false,
  render: grantsText,
};

function InactiveSeatsContent(props: { list: InactiveSeatsResponse }) {
  const { list } = props;
  const columns =
    list.owner.kind === 'enterprise'
      ? [...baseColumns, grantColumn]
      : baseColumns;
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));
  if (!list.snapshotDay) {
    return (
      <Typography variant="body2">
        No seat list has been synced for {ownerName(list.owner)} yet.
      </Typography>
    );
  }
  const neverUsed = list.items.filter(s => s.status === 'never-used').length;
  const title = `Seats not used in 30 days (${formatCount(list.items.length)})`;
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        {formatCount(list.items.length)} seats of {ownerName(list.owner)} had no
        Copilot activity from {list.activeSince} to {list.snapshotDay} (
        {formatCount(neverUsed)} never used,{' '}
        {formatCount(list.items.length - neverUsed)} inactive): the “Inactive”
        and “Never used” seats above, by login. Candidates to reclaim.
      </Typography>
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <CsvDownloadButton
          path={inactiveSeatsPath(list.owner, 'csv')}
          label="Download inactive seats CSV"
        />
      </Box>
      {narrow ? (
        <>
          <Typography variant="h6" component="h2">
            {title}
          </Typography>
          <SeatList seats={list.items} />
        </>
      ) : (
        <Table<InactiveSeat>
          title={title}
          columns={columns}
          data={list.items}
          options={{
            search: true,
            paging: list.items.length > 25,
            pageSize: 25,
            pageSizeOptions: [25, 50, 100],
            padding: 'dense',
            emptyRowsWhenPaging: false,
          }}
        />
      )}
    </>
  );
}

/**
 * The seats nobody used in the 30 days up to the seat list's day (admins):
 * login, last activity and editor, with a CSV of the same rows. Test id
 * `inactive-seats`.
 */
export function InactiveSeatsPanel(props: { owner: TeamOwner }) {
  return (
    <SeatsCard
      testId="inactive-seats"
      title="Unused seats"
      state={useInactiveSeats(props.owner)}
    >
      {list => (
        // A wide table scrolls in its card instead of widening the page.
        <Box style={{ maxWidth: '100%', overflowX: 'auto' }}>
          <InactiveSeatsContent list={list} />
        </Box>
      )}
    </SeatsCard>
  );
}
