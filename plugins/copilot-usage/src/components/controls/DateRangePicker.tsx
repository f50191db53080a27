import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { MAX_RANGE_DAYS } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  DateRangeSelection,
  RANGE_PRESETS,
  selectionToRange,
} from '../../hooks/useDateRange';
import { countDays, isIsoDay } from '../../lib/days';

function validate(from: string, to: string): string | undefined {
  if (!isIsoDay(from) || !isIsoDay(to)) {
    return 'Enter both days';
  }
  if (from > to) {
    return '"From" must not be after "To"';
  }
  if (countDays(from, to) > MAX_RANGE_DAYS) {
    return `At most ${MAX_RANGE_DAYS} days`;
  }
  return undefined;
}

/** A day input; its label stays above, clear of the browser's date placeholder. */
function DayField(props: {
  label: string;
  value: string;
  onChange: (day: string) => void;
  error: boolean;
  helperText?: string;
}) {
  const { label, value, onChange, error, helperText } = props;
  return (
    <TextField
      label={label}
      type="date"
      size="small"
      value={value}
      InputLabelProps={{ shrink: true }}
      onChange={event => onChange(event.target.value)}
      error={error}
      helperText={helperText}
    />
  );
}

/** Last 7 / 28 / 90 / 365 days, or custom from/to days. */
export function DateRangePicker(props: {
  value: DateRangeSelection;
  onChange: (selection: DateRangeSelection) => void;
}) {
  const { value, onChange } = props;
  const current = selectionToRange(value);
  const [draft, setDraft] = useState(current);
  const error =
    value.preset === 'custom' ? validate(draft.from, draft.to) : undefined;

  const updateDraft = (next: { from: string; to: string }) => {
    setDraft(next);
    if (!validate(next.from, next.to)) {
      onChange({ preset: 'custom', ...next });
    }
  };

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-end"
      style={{ gap: 16 }}
    >
      <FormControl size="small" style={{ minWidth: 160 }}>
        <InputLabel id="copilot-usage-range-label">Period</InputLabel>
        <Select
          labelId="copilot-usage-range-label"
          value={String(value.preset)}
          onChange={event => {
            const preset = String(event.target.value);
            if (preset === 'custom') {
              setDraft(current);
              onChange({ preset: 'custom', ...current });
            } else {
              onChange({
                preset: Number(preset) as (typeof RANGE_PRESETS)[number],
              });
            }
          }}
        >
          {RANGE_PRESETS.map(days => (
            <MenuItem key={days} value={String(days)}>
              Last {days} days
            </MenuItem>
          ))}
          <MenuItem value="custom">Custom</MenuItem>
        </Select>
      </FormControl>
      {value.preset === 'custom' && (
        <>
          <DayField
            label="From"
            value={draft.from}
            onChange={from => updateDraft({ from, to: draft.to })}
            error={Boolean(error)}
          />
          <DayField
            label="To"
            value={draft.to}
            onChange={to => updateDraft({ from: draft.from, to })}
            error={Boolean(error)}
            helperText={error}
          />
        </>
      )}
    </Box>
  );
}
