export interface Config {
  copilotUsage?: {
    /**
     * Your own events to mark on every trend chart, next to the days GitHub
     * changed how it counts, e.g. `{ day: 2026-09-01, label: Licences for Payments }`.
     * An entry with a day that is not a real `YYYY-MM-DD`, an empty label, a
     * label over 80 characters or a link that is not `https://` is not drawn;
     * the trend charts name it in a warning.
     * @deepVisibility frontend
     */
    seriesEvents?: Array<{
      /**
       * The day of the event, `YYYY-MM-DD` (UTC).
       */
      day: string;
      /**
       * A few words for the marker (at most 80 characters).
       */
      label: string;
      /**
       * One or two sentences shown under the chart.
       */
      note?: string;
      /**
       * An `https://` address with more about the event.
       */
      link?: string;
    }>;
  };
}
