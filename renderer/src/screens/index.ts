import { DashboardScreen } from './dashboard-screen.js';
import { EventsScreen } from './events-screen.js';
import { ImportScreen } from './import-screen.js';
import { OrdersScreen } from './orders-screen.js';
import { SellScreen } from './sell-screen.js';
import { SellersScreen } from './sellers-screen.js';
import type { ScreenDef } from './types.js';

export type { ScreenDef } from './types.js';

/**
 * THE list of screens: the nav, the routes (#/<id>/…) and the shortcuts all come from here.
 * To add a screen: create screens/<name>-screen.tsx exporting a component, then add ONE line below.
 * The first entry is the home screen.
 */
export const screens: ScreenDef[] = [
  { id: 'events', label: 'Events', element: EventsScreen, shortcut: 'Alt+1' },
  { id: 'sell', label: 'Sell', element: SellScreen, shortcut: 'Alt+2' },
  { id: 'orders', label: 'Orders', element: OrdersScreen, shortcut: 'Alt+3' },
  { id: 'sellers', label: 'Sellers', element: SellersScreen, shortcut: 'Alt+4' },
  { id: 'import', label: 'Import', element: ImportScreen, shortcut: 'Alt+5' },
  { id: 'dashboard', label: 'Dashboard', element: DashboardScreen, shortcut: 'Alt+6' },
];
