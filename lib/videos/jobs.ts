// The transcode job: pg-boss retries a failed attempt, and a job whose worker died is failed by
// failStalledTranscodes (recover.ts) and retried (the attempt's work folder is never served, so
// nothing half-made is visible); the expiry is the last resort.
import { defineJob } from '../jobs/define';
import { TRANSCODE_EXPIRE_S } from './liveness';
import { transcodePayloadSchema } from './schemas';

export const TRANSCODE_QUEUE = 'video-transcode';

export const transcodeJob = defineJob({
  name: TRANSCODE_QUEUE,
  schema: transcodePayloadSchema,
  queue: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: TRANSCODE_EXPIRE_S },
});
