import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import InfoOutlined from '@material-ui/icons/InfoOutlined';

/** An info icon whose tooltip gives a metric's definition. */
export function MetricInfo(props: { label: string; description: string }) {
  const { label, description } = props;
  return (
    <Tooltip title={description} arrow>
      <IconButton
        size="small"
        aria-label={`Definition of ${label}`}
        style={{ padding: 2 }}
      >
        <InfoOutlined fontSize="inherit" />
      </IconButton>
    </Tooltip>
  );
}
