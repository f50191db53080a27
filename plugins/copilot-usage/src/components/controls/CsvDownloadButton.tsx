import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetApp from '@material-ui/icons/GetApp';
import { useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';

/** Hands a text to the browser as a file download. */
function saveText(text: string, fileName: string) {
  const url = URL.createObjectURL(
    new Blob([text], { type: 'text/csv;charset=utf-8' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * "Download CSV": fetches the CSV of what is shown from the backend (the same
 * permission-checked route, `?format=csv`) and saves it under the file name the
 * backend gives it.
 */
export function CsvDownloadButton(props: {
  /** The route relative to the plugin's base URL (see `csvPath`). */
  path: string;
  label?: string;
}) {
  const { path, label = 'Download CSV' } = props;
  const api = useApi(copilotUsageApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { text, fileName } = await api.getCsv(path);
      saveText(text, fileName);
    } catch (e) {
      setError(`The CSV could not be downloaded: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="inline-flex" alignItems="center" style={{ gap: 8 }}>
      <Button
        variant="outlined"
        size="small"
        startIcon={<GetApp />}
        onClick={download}
        disabled={busy}
      >
        {label}
      </Button>
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
    </Box>
  );
}
