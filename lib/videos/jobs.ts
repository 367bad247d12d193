// The transcode job is declared in the job registry (lib/jobs/definitions.ts): pg-boss retries a
// failed attempt, and a job whose worker died is failed by failStalledTranscodes (recover.ts) and
// retried (the attempt's work folder is never served, so nothing half-made is visible).
import { jobs } from '../jobs/definitions';

export const transcodeJob = jobs.videoTranscode;
export const TRANSCODE_QUEUE = transcodeJob.name;
