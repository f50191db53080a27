import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { FigureFormat, formatFigure } from '../../lib/format';
import { visuallyHidden } from './visuallyHidden';

export interface DataTableColumn<T> {
  key: string;
  label: string;
  /** Text cells when left out; numbers are formatted. */
  format?: FigureFormat;
  value: (row: T) => string | number | null | undefined;
}

// Words never break mid-word ("Nam e", "csha rp"): cells keep their words
// whole and the table scrolls sideways in its container when it is too wide.
const cellStyle = { whiteSpace: 'nowrap' as const };

/** A plain, captioned table: the accessible alternative of a chart. */
export function DataTable<T>(props: {
  caption: string;
  columns: DataTableColumn<T>[];
  rows: T[];
  hidden?: boolean;
}) {
  const { caption, columns, rows, hidden } = props;
  return (
    <Table size="small" style={hidden ? visuallyHidden : undefined}>
      <caption style={visuallyHidden}>{caption}</caption>
      <TableHead>
        <TableRow>
          {columns.map(column => (
            <TableCell
              key={column.key}
              align={column.format ? 'right' : 'left'}
              style={cellStyle}
            >
              {column.label}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row, index) => (
          <TableRow key={index}>
            {columns.map(column => {
              const value = column.value(row);
              return (
                <TableCell
                  key={column.key}
                  align={column.format ? 'right' : 'left'}
                  style={cellStyle}
                >
                  {column.format
                    ? formatFigure(value as number | null, column.format)
                    : value}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
