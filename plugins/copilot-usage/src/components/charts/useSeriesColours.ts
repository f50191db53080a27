import { useTheme } from '@material-ui/core/styles';

/** Series colours from the theme's palette, so light and dark themes both work. */
export function useSeriesColours() {
  const { palette } = useTheme();
  return {
    primary: palette.primary.main,
    secondary: palette.secondary.main,
    tertiary: palette.success?.main ?? palette.info.main,
    muted: palette.text.secondary,
    grid: palette.divider,
    text: palette.text.secondary,
  };
}

/** The colours a data series may take. */
export type SeriesColour = 'primary' | 'secondary' | 'tertiary' | 'muted';
