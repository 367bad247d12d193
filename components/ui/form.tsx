// Small form primitives: labelled inputs whose errors are tied to them with aria-describedby, and the
// one-line outcome under a form (errors announced at once, confirmations politely).
import { useId, type InputHTMLAttributes, type SelectHTMLAttributes } from 'react';

/** The look of a text input or select; `Field` uses it, bare selects and filter inputs too. */
export const inputClass =
  'block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm dark:border-zinc-700 dark:bg-zinc-900';

export function Field({
  label,
  name,
  error,
  hint,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: string; hint?: string }) {
  // useId, not the name: a page can hold several forms with the same field names (create and edit a
  // user), and a duplicated id would tie every such label to the first input.
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={inputClass}
        {...props}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-red-600 dark:text-red-400" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled drop-down of plain string options. */
export function SelectField({
  label,
  options,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; options: readonly string[] }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} className={inputClass} {...props}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </div>
  );
}

export const buttonClass =
  'inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60';

/** A form's error line (role="alert"); renders nothing without a message. */
export function FormError({ message }: { message?: string | null }) {
  return message ? (
    <p role="alert" className="text-sm text-red-600 dark:text-red-400">
      {message}
    </p>
  ) : null;
}

/** A form's confirmation line (role="status"); renders nothing without a message. */
export function FormStatus({ message }: { message?: string | null }) {
  return message ? (
    <p role="status" className="text-sm text-green-700 dark:text-green-400">
      {message}
    </p>
  ) : null;
}

/** The outcome of the last submit: an error or a confirmation. */
export type FormOutcome = { ok: boolean; text: string } | null;

export function FormOutcomeLine({ outcome }: { outcome: FormOutcome }) {
  if (!outcome) return null;
  return outcome.ok ? <FormStatus message={outcome.text} /> : <FormError message={outcome.text} />;
}
