import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { getWidgetSettings, saveWidgetSettings, widgetSettingsSchema } from '@/lib/tracker/settings';

export const dynamic = 'force-dynamic';

// GET /api/tracker/settings: the caller's widget settings (sites the userscript runs on, its keys)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  return json(await getWidgetSettings(actor.id));
});

// PUT /api/tracker/settings { matches?, keys? }: change them (audited)
export const PUT = route(async (req) => {
  const actor = await requireRequestActor(req);
  const input = widgetSettingsSchema.parse(await readJson(req));
  return json(await saveWidgetSettings(actor, input, requestMeta(req)));
});
