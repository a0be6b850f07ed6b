import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { applyPromote, planPromote } from '../../review-actions/promote.ts';
import type { Preview } from '../../review-actions/preview.ts';
import { getReview, listReviews } from '../../review-actions/records.ts';
import { applyRelease, planRelease } from '../../review-actions/release.ts';
import { applyRollback, planRollback } from '../../review-actions/rollback.ts';
import type { ReviewRecord } from '../../review-actions/schema.ts';
import { applyVerdict, planVerdict, type Verdict } from '../../review-actions/verdict.ts';
import { parseBody } from '../body.ts';
import type { ServerContext } from '../context.ts';
import { paginate, type Page } from '../pagination.ts';
import { list, str, type Query } from '../query.ts';

/**
 * /v1/review: the review actions the review page calls (docs/review.md). Each action has a GET
 * preview returning the exact per-memory diff and an `expected_state` token; the POST must
 * bring that token back (409 `review_stale` if the store moved since). Writes are attributed to
 * the `reviewer` named in the body, and the record also keeps the API key that sent it.
 * There is deliberately no route that sets a store's tier: only the admin CLI can.
 */

// Reviewer, note and expected_state are checked by the review module so a missing one gets the
// same message over HTTP as on the CLI.
const Who = { reviewer: z.string().optional(), note: z.string().optional(), expected_state: z.string().optional() };
const PromoteBody = z.strictObject({ from: z.string(), to: z.string(), paths: z.array(z.string()).optional(), ...Who });
const RollbackBody = z.strictObject({ store: z.string(), to_review: z.string().optional(), to_seq: z.number().int().optional(), ...Who });
const VerdictBody = z.strictObject({ dream_id: z.string(), ...Who });
const ReleaseBody = z.strictObject({ quarantine_id: z.string(), ...Who });

type PreviewResponse = Preview & { type: 'review_preview' };
const asResponse = (p: Preview): PreviewResponse => ({ type: 'review_preview', ...p });

export function reviewRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { paths } = ctx;

  app.get('/v1/review/preview/promote', async (req): Promise<PreviewResponse> => {
    const q = req.query as Query;
    return asResponse((await planPromote(paths, { from: str(q, 'from'), to: str(q, 'to'), paths: list(q, 'paths') })).preview);
  });

  app.post('/v1/review/promote', async (req): Promise<ReviewRecord> => {
    const b = parseBody(PromoteBody, req.body);
    return applyPromote(paths, { from: b.from, to: b.to, paths: b.paths, expected_state: b.expected_state }, { reviewer: b.reviewer, note: b.note, api_key_id: req.keyId });
  });

  app.get('/v1/review/preview/rollback', async (req): Promise<PreviewResponse> => {
    const q = req.query as Query;
    return asResponse((await planRollback(paths, { store: str(q, 'store'), to_review: str(q, 'to_review'), to_seq: str(q, 'to_seq') })).preview);
  });

  app.post('/v1/review/rollback', async (req): Promise<ReviewRecord> => {
    const b = parseBody(RollbackBody, req.body);
    return applyRollback(paths, { store: b.store, to_review: b.to_review, to_seq: b.to_seq, expected_state: b.expected_state }, { reviewer: b.reviewer, note: b.note, api_key_id: req.keyId });
  });

  for (const action of ['approve', 'reject'] as const satisfies readonly Verdict[]) {
    app.get(`/v1/review/preview/${action}`, async (req): Promise<PreviewResponse> => {
      const q = req.query as Query;
      return asResponse((await planVerdict(paths, str(q, 'dream_id'), action)).preview);
    });
    app.post(`/v1/review/${action}`, async (req): Promise<ReviewRecord> => {
      const b = parseBody(VerdictBody, req.body);
      return applyVerdict(paths, { dream_id: b.dream_id, expected_state: b.expected_state }, action, { reviewer: b.reviewer, note: b.note, api_key_id: req.keyId });
    });
  }

  app.get('/v1/review/preview/release', async (req): Promise<PreviewResponse> => {
    const q = req.query as Query;
    return asResponse((await planRelease(paths, str(q, 'quarantine_id'))).preview);
  });

  app.post('/v1/review/release', async (req): Promise<ReviewRecord> => {
    const b = parseBody(ReleaseBody, req.body);
    return applyRelease(paths, { quarantine_id: b.quarantine_id, expected_state: b.expected_state }, { reviewer: b.reviewer, note: b.note, api_key_id: req.keyId });
  });

  app.get('/v1/reviews', async (req): Promise<Page<ReviewRecord>> => {
    const q = req.query as Query;
    const store = str(q, 'store');
    const dream = str(q, 'dream_id');
    const reviews = await listReviews(paths, { ...(store === undefined ? {} : { store }), ...(dream === undefined ? {} : { dream }) });
    return paginate(reviews, (r) => r.id, { limit: str(q, 'limit'), page: str(q, 'page') });
  });

  app.get<{ Params: { review_id: string } }>('/v1/reviews/:review_id', async (req): Promise<ReviewRecord> => getReview(paths, req.params.review_id));
}
