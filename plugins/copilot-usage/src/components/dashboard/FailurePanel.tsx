import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';

/** The HTTP status of a failed backend call (a `ResponseError`), if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A failed backend call: a 403 says who may see this (`forbidden`), since it
 * is an answer rather than a fault; anything else shows the error.
 */
export function FailurePanel(props: {
  error: Error;
  forbidden: { title: string; description?: string };
}) {
  const { error, forbidden } = props;
  if (statusOf(error) === 403) {
    return (
      <EmptyState
        missing="info"
        title={forbidden.title}
        description={forbidden.description}
      />
    );
  }
  return <ResponseErrorPanel error={error} />;
}
