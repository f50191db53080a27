import { METRIC_DEFINITIONS } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { DataTableColumn } from './DataTable';

/** A key of `T` that is also a metric with a definition (label, description). */
export type MetricKeyOf<T> = keyof T & keyof typeof METRIC_DEFINITIONS & string;

/** The day of a daily row, as its first column. */
export function dayColumn<T extends { day: string }>(): DataTableColumn<T> {
  return { key: 'day', label: 'Day', value: row => row.day };
}

/** A count metric, labelled as its definition labels it. */
export function countColumn<T>(key: MetricKeyOf<T>): DataTableColumn<T> {
  return {
    key,
    label: METRIC_DEFINITIONS[key].label,
    format: 'count',
    value: row => row[key] as number | null,
  };
}
