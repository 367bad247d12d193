// HLS keys are stored encrypted with this associated data, so a key row copied onto another video
// or rendition fails to decrypt instead of unlocking the wrong stream.
export function keyAad(videoId: string, rendition: string): string {
  return `video-key:${videoId}:${rendition}`;
}

/** Same, for the key of one rung of one transcode attempt's in-progress stream. */
export function liveKeyAad(videoId: string, attempt: string, rendition: string): string {
  return `video-live-key:${videoId}:${attempt}:${rendition}`;
}
