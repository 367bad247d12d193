'use client';
// The library's search field: results follow as people type (word prefixes match, so "surg" finds
// "Surgery basics"), keeping the form's other filters; Enter still submits the form.
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

export function SearchBox({ defaultValue, className }: { defaultValue?: string; className?: string }) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return (
    <input
      name="q"
      type="search"
      defaultValue={defaultValue}
      placeholder="Title, description, tags, people… (word starts match)"
      className={className}
      autoComplete="off"
      onChange={(e) => {
        const form = e.currentTarget.form;
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          if (!form) return;
          const params = new URLSearchParams();
          for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v !== '') params.set(k, v);
          router.replace(`/library?${params}`, { scroll: false });
        }, 300);
      }}
    />
  );
}
