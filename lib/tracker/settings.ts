// Per-user widget settings: the sites the userscript runs on (@match patterns) and its keys. Kept in
// the Setting table under one key per user; unset fields fall back to TRACKER_WIDGET_MATCHES and N/P/U/X.
import { z } from 'zod';
import { db } from '../db';
import { env } from '../env';
import { recordAudit } from '../audit/record';
import type { RequestMeta, UserActor } from '../auth/actor';
import { DEFAULT_WIDGET_KEYS, type WidgetKeys } from './widget-core';

// A userscript @match pattern, on one line (a newline would add metadata lines to the served script).
const MATCH_RE = /^(<all_urls>|(\*|https?|file|ftp):\/\/(\*|(\*\.)?[^/*\s]+)?\/\S*)$/;
const matchPattern = z.string().trim().min(1).max(200).regex(MATCH_RE, 'use a @match pattern such as https://queue.example.com/*');
const key = z.string().regex(/^[a-z0-9]$/i, 'one letter or digit').transform((k) => k.toLowerCase());

export const widgetSettingsSchema = z.object({
  matches: z.array(matchPattern).min(1).max(20).optional(),
  keys: z
    .object({ next: key, pause: key, undo: key, exit: key })
    .refine((k) => new Set([k.next, k.pause, k.undo, k.exit]).size === 4, 'the four keys must differ')
    .optional(),
});
export type WidgetSettingsInput = z.infer<typeof widgetSettingsSchema>;

export interface WidgetSettings {
  matches: string[];
  keys: WidgetKeys;
}

const settingKey = (userId: string) => `tracker-widget:${userId}`;

export function defaultWidgetMatches(): string[] {
  return env.TRACKER_WIDGET_MATCHES.split(',').map((s) => s.trim()).filter((s) => MATCH_RE.test(s));
}

export async function getWidgetSettings(userId: string | null): Promise<WidgetSettings> {
  const row = userId ? await db.setting.findUnique({ where: { key: settingKey(userId) } }) : null;
  const saved = widgetSettingsSchema.safeParse(row?.value ?? {});
  const value = saved.success ? saved.data : {};
  return { matches: value.matches ?? defaultWidgetMatches(), keys: value.keys ?? { ...DEFAULT_WIDGET_KEYS } };
}

export async function saveWidgetSettings(actor: UserActor, input: WidgetSettingsInput, meta: RequestMeta): Promise<WidgetSettings> {
  const current = await getWidgetSettings(actor.id);
  const next = { matches: input.matches ?? current.matches, keys: input.keys ?? current.keys };
  await db.setting.upsert({ where: { key: settingKey(actor.id) }, create: { key: settingKey(actor.id), value: next }, update: { value: next } });
  await recordAudit({ actor, action: 'tracker.widget_settings_changed', target: { type: 'user', id: actor.id }, meta, detail: next });
  return next;
}
