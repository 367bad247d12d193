// The video library's surface for routes, pages, server actions and the worker. Internals (the
// FFmpeg ladder, probing, sniffing, storage layout) stay behind it; tests may reach them directly.
export * from './schemas';
export { ingestUpload, type IngestResult, type IngestOptions } from './ingest';
export { receiveMultipart, type MultipartUpload } from './multipart';
export { assertUploadAllowed } from './quota';
export { cancelUpload, createUploadSession, getUploadState, putChunk, removeExpiredUploads, CHUNK_BYTES, type UploadState } from './resumable';
export {
  canEditVideo,
  deleteVideo,
  getVideo,
  listUploaders,
  listVideos,
  retryVideo,
  saveProgress,
  setFavorite,
  updateVideo,
  type VideoCard,
  type VideoView,
} from './library';
export { serveHls } from './serve';
export { getVideoStats, computeVideoStats, type VideoStats } from './stats';
export { transcodeJob, TRANSCODE_QUEUE } from './jobs';
export { transcodeVideo, removeStaleWork } from './transcode-video';
export { failStalledTranscodes, sweepVideos } from './recover';
