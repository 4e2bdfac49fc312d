/** Handlers for the review slice (shared/contract/review.ts): image QA decisions. */
import type { EventSink, Handlers } from '../../core/handler-types';
import type { ReviewService } from './review-service';

type ReviewMethod = 'images.list' | 'images.review';

export interface ReviewHandlerDeps {
  review: ReviewService;
  events: EventSink;
}

export function createReviewHandlers({ review, events }: ReviewHandlerDeps): Handlers<ReviewMethod> {
  return {
    'images.review': (input, ctx) => {
      // Named before deciding, so a refused call's audit record says which image it was about.
      ctx.audit({ detail: { instanceId: input.instanceId ?? null, sopInstanceUID: input.sopInstanceUID ?? null } });
      const out = review.decide(input, ctx.operator?.id ?? null);
      ctx.audit({
        patientID: out.patientID,
        studyInstanceUID: out.studyInstanceUID,
        detail: { instanceId: out.instanceId, decision: input.decision, reason: input.reason ?? null, previous: out.previous },
      });
      events.emit('images.reviewed', { studyInstanceUID: out.studyInstanceUID, instanceId: out.instanceId, decision: input.decision });
      // A decision can change what the study may send, hence its state: every list refetches it.
      events.emit('studies.changed', { studyInstanceUIDs: [out.studyInstanceUID] });
      return out.images;
    },
    'images.list': ({ studyInstanceUIDs }) => ({ items: review.studyImages(studyInstanceUIDs) }),
  };
}
