import { useId, type ComponentProps, type ReactNode } from 'react';
import { Button as AriaButton, Radio, RadioGroup, Label, type ButtonProps } from 'react-aria-components';

/** react-aria's Button: press events that behave the same for mouse, touch and keyboard. */
export function Button({ variant, big, className, ...props }: ButtonProps & { variant?: 'primary' | 'link'; big?: boolean }) {
  const cls = ['btn', variant === 'primary' ? 'btn-primary' : '', variant === 'link' ? 'btn-link' : '', big ? 'btn-big' : '', typeof className === 'string' ? className : '']
    .filter(Boolean)
    .join(' ');
  return <AriaButton {...props} className={cls} />;
}

/** A row of big radio buttons (strategy, tender): arrow keys move, each option is a 44px target. */
export function Segmented<T extends string>({
  label,
  value,
  onChange,
  options,
  hideLabel,
}: {
  label: string;
  value: T;
  onChange: (v: T) => void;
  options: { value: T; label: ReactNode }[];
  hideLabel?: boolean;
}) {
  return (
    <RadioGroup value={value} onChange={(v) => onChange(v as T)} className="field" orientation="horizontal" aria-label={hideLabel ? label : undefined}>
      {hideLabel ? null : <Label className="field-label">{label}</Label>}
      <div className="segmented">
        {options.map((o) => (
          <Radio key={o.value} value={o.value} className="seg">
            {o.label}
          </Radio>
        ))}
      </div>
    </RadioGroup>
  );
}

/**
 * A labelled native select (keyboard and touch friendly everywhere). The label points at the
 * select instead of wrapping it, so the accessible name is the label alone, not every option.
 */
export function SelectField({ label, error, children, ...props }: ComponentProps<'select'> & { label: string; error?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...props} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {children}
      </select>
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}
