/** The text indexed for full-text search besides the title. */
export function buildSearchText(m: { title: string; description?: string | null; category?: string | null; tags?: string[]; people?: string[] }): string {
  return [m.title, m.description ?? '', m.category ?? '', ...(m.tags ?? []), ...(m.people ?? [])].filter(Boolean).join(' ');
}
