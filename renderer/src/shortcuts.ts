import { useEffect, useRef } from 'react';

export interface Shortcut {
  alt: boolean;
  ctrl: boolean;
  shift: boolean;
  meta: boolean;
  key: string;
}

/** 'Alt+1', 'F9', 'Ctrl+Shift+K' → a matcher description. */
export function parseShortcut(text: string): Shortcut {
  const parts = text.split('+').map((p) => p.trim());
  const key = (parts.pop() ?? '').toLowerCase();
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return { alt: mods.has('alt'), ctrl: mods.has('ctrl') || mods.has('control'), shift: mods.has('shift'), meta: mods.has('meta') || mods.has('cmd'), key };
}

export function matchesShortcut(e: KeyboardEvent, text: string): boolean {
  const s = parseShortcut(text);
  if (e.altKey !== s.alt || e.ctrlKey !== s.ctrl || e.shiftKey !== s.shift || e.metaKey !== s.meta) return false;
  // e.code survives Alt (which turns e.key into other characters on macOS).
  const code = e.code.toLowerCase();
  return e.key.toLowerCase() === s.key || code === `digit${s.key}` || code === `key${s.key}` || code === s.key;
}

/** Window-level shortcut; the handler may return false to let the key through. */
export function useShortcut(text: string | undefined, handler: (e: KeyboardEvent) => boolean | void, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!text || !enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (!matchesShortcut(e, text)) return;
      if (ref.current(e) === false) return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [text, enabled]);
}
