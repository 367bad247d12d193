import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { readScanSettings, scanSettingsSchema, updateScanSettings } from '@/lib/scans';

export const dynamic = 'force-dynamic';

// GET /api/scans/settings → { debounceS, retryBaseS, retryMaxS, maxAttempts, anchorFiles, rcloneUrl }
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'scans:view');
  return json(await readScanSettings());
});

// PUT /api/scans/settings (admin)
export const PUT = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'settings:manage');
  const input = scanSettingsSchema.parse(await readJson(req));
  return json(await updateScanSettings(actor, input, requestMeta(req)));
});
