import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useId } from 'react';
import {
  customRangeError,
  DateRangeSelection,
  RANGE_PRESETS,
  selectionToRange,
} from '../../hooks/useDateRange';

/** A day input with a label tied to it (`id`/`for`), kept above the browser's date placeholder. */
function DayField(props: {
  label: string;
  value: string;
  onChange: (day: string) => void;
  error: boolean;
  describedBy?: string;
}) {
  const { label, value, onChange, error, describedBy } = props;
  const id = useId();
  return (
    <TextField
      id={id}
      label={label}
      type="date"
      size="small"
      value={value}
      InputLabelProps={{ shrink: true }}
      inputProps={{
        'aria-describedby': describedBy,
        'aria-invalid': error || undefined,
      }}
      onChange={event => onChange(event.target.value)}
      error={error}
    />
  );
}

/**
 * Last 7 / 28 / 90 / 365 days, or custom from/to days. A custom range is
 * passed on as typed; when it is invalid the picker says what is wrong
 * (`role="alert"`) and the page shows no figures for it.
 */
export function DateRangePicker(props: {
  value: DateRangeSelection;
  onChange: (selection: DateRangeSelection) => void;
}) {
  const { value, onChange } = props;
  const current = selectionToRange(value);
  const periodLabelId = useId();
  const errorId = useId();
  const error =
    value.preset === 'custom'
      ? customRangeError(value.from, value.to)
      : undefined;

  return (
    <Box>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="flex-end"
        style={{ gap: 16 }}
      >
        <FormControl size="small" style={{ minWidth: 160 }}>
          <InputLabel id={periodLabelId}>Period</InputLabel>
          <Select
            labelId={periodLabelId}
            value={String(value.preset)}
            onChange={event => {
              const preset = String(event.target.value);
              if (preset === 'custom') {
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
              value={value.from}
              onChange={from => onChange({ ...value, from })}
              error={Boolean(error)}
              describedBy={error ? errorId : undefined}
            />
            <DayField
              label="To"
              value={value.to}
              onChange={to => onChange({ ...value, to })}
              error={Boolean(error)}
              describedBy={error ? errorId : undefined}
            />
          </>
        )}
      </Box>
      {error && (
        <Typography
          id={errorId}
          role="alert"
          variant="body2"
          color="error"
          data-testid="range-error"
          style={{ marginTop: 8 }}
        >
          {error} No figures are shown until the period is valid.
        </Typography>
      )}
    </Box>
  );
}
