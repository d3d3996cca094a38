import type { ComponentType } from 'react';
import type { Permission } from '../../../shared/operations/define.js';

/** One entry of the nav: its route is #/<id>, its screen gets the rest of the route from useRoute(). */
export interface ScreenDef {
  /** URL segment and stable id, kebab-case: #/events, #/import … */
  id: string;
  /** Nav label, short and plain. */
  label: string;
  /** The screen component (a .ts registry cannot hold JSX, so this is the component, not <Element />). */
  element: ComponentType;
  /** Optional keyboard shortcut shown in the nav, e.g. 'Alt+5'. */
  shortcut?: string;
  /** Who sees it (nav and route): a permission of shared/operations/define.ts; omitted = every signed-in user. */
  permission?: Permission;
}
