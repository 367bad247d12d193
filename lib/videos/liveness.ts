// Every timing that decides whether a transcode or an upload is alive, in one place: the beat a
// running transcode sends, when its silence means its worker died, how long a job may run at all,
// and when an upload nobody continues is given up.

/** A running transcode touches its video row and work folder this often, even when progress stalls. */
export const TRANSCODE_BEAT_MS = 30_000;

/** A `processing` video silent this long belongs to a dead worker (six missed beats). */
export const STALL_S = 180;

/** pg-boss expiry of one transcode attempt: the last resort when no worker is left to notice a stall. */
export const TRANSCODE_EXPIRE_S = 3 * 3600;

/** At worker start, work folders untouched this long are removed whatever their owner. */
export const STALE_WORK_AT_START_MS = 6 * 3600_000;

/** How often each worker sweeps for stalled transcodes and abandoned uploads. */
export const VIDEO_SWEEP_INTERVAL_MS = 60_000;

/** A resumable upload that receives no chunk for this long is cancelled and its bytes deleted. */
export const UPLOAD_IDLE_TTL_MS = 24 * 3600_000;
