import { parseRepoDay } from './parseRepoRows';
import { ReportRecordError } from './parseRows';

const ctx = { scope: 'org:acme', day: '2026-11-18' };

describe('parseRepoDay', () => {
  it("keeps GitHub's line and leaves figures it did not send null, not zero", () => {
    const record = {
      day: '2026-11-18',
      repo_id: '123',
      repo_owner_name: 'Acme',
      repo_name: 'Web',
      some_future_field: { nested: true },
    };
    const row = parseRepoDay(record, ctx);
    expect(row).toMatchObject({
      repoId: 123,
      repoSlug: 'acme/web',
      visibility: null,
      prsCreated: null,
      agentCreated: null,
      suggestions: null,
      reviewMerged: null,
      medianReadyToFirstReview: null,
    });
    expect(JSON.parse(row.raw)).toEqual(record);
  });

  it('sums suggestions by comment type when no total is sent, and keeps the human-reviewed times', () => {
    const row = parseRepoDay(
      {
        day: '2026-11-18',
        repo_id: 7,
        repo_owner_name: 'acme',
        repo_name: 'api',
        pull_requests: {
          total_created_by_copilot: 2,
          copilot_suggestions_by_comment_type: [
            {
              comment_type: 'bug',
              total_suggestions: 3,
              total_applied_suggestions: 1,
            },
            { comment_type: 'style', total_suggestions: 4 },
          ],
        },
        pull_request_review_times: [
          {
            authored_by: 'copilot',
            reviewed_by: 'human',
            total_merged: 9,
            median_minutes_ready_to_first_review: 1,
          },
          {
            authored_by: 'human',
            reviewed_by: 'human',
            total_merged: 2,
            median_minutes_ready_to_first_review: 35,
            p90_minutes_first_to_final_review: 0,
          },
        ],
      },
      ctx,
    );
    expect(row).toMatchObject({
      agentCreated: 2,
      suggestions: 7,
      appliedSuggestions: 1,
      reviewMerged: 2,
      medianReadyToFirstReview: 35,
      p90FirstToFinalReview: 0,
    });
  });

  it('rejects a record without its identity or of another day, naming the field', () => {
    expect(() =>
      parseRepoDay({ day: '2026-11-18', repo_id: 1, repo_name: 'x' }, ctx),
    ).toThrow(/repo_owner_name/);
    expect(() =>
      parseRepoDay(
        { day: '2026-11-17', repo_id: 1, repo_owner_name: 'a', repo_name: 'x' },
        ctx,
      ),
    ).toThrow(ReportRecordError);
    expect(() =>
      parseRepoDay(
        {
          day: '2026-11-18',
          repo_id: 1,
          repo_owner_name: 'a',
          repo_name: 'x',
          pull_requests: { total_created: -1 },
        },
        ctx,
      ),
    ).toThrow(/pull_requests\.total_created/);
  });
});
