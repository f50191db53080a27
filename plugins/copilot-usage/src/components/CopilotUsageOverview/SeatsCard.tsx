import { ReactNode } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { FailurePanel } from '../dashboard/FailurePanel';

/**
 * A card of an admin-only seats call: progress while it loads, who may see it
 * on a 403, the error otherwise, and `children(value)` once it has loaded.
 */
export function SeatsCard<T>(props: {
  testId: string;
  title: string;
  state: { loading: boolean; error?: Error; value?: T };
  children: (value: T) => ReactNode;
}) {
  const { loading, error, value } = props.state;
  let content: ReactNode = null;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = (
      <FailurePanel
        error={error}
        forbidden={{ title: 'Seats are shown to Copilot usage admins' }}
      />
    );
  } else if (value !== undefined) {
    content = props.children(value);
  }
  return (
    <div data-testid={props.testId}>
      <InfoCard title={props.title}>{content}</InfoCard>
    </div>
  );
}
