import { DashboardScreen } from './dashboard-screen.js';
import { EventsScreen } from './events-screen.js';
import { ImportScreen } from './import-screen.js';
import { OrdersScreen } from './orders-screen.js';
import { SellScreen } from './sell-screen.js';
import { SellersScreen } from './sellers-screen.js';
import type { ScreenDef } from './types.js';
import { AuditScreen } from './audit-screen.js';
import { TokensScreen } from './tokens-screen.js';
import { UsersScreen } from './users-screen.js';
import { SeatMapScreen } from './seat-map-screen.js';
import { DoorScreen } from './door-screen.js';

export type { ScreenDef } from './types.js';

/**
 * THE list of screens: the nav, the routes (#/<id>/…) and the shortcuts all come from here.
 * To add a screen: create screens/<name>-screen.tsx exporting a component, then add ONE line below.
 * The first entry is the home screen.
 */
export const screens: ScreenDef[] = [
  { id: 'events', label: 'Events', element: EventsScreen, shortcut: 'Alt+1', permission: 'read' },
  { id: 'sell', label: 'Sell', element: SellScreen, shortcut: 'Alt+2', permission: 'sell' },
  { id: 'orders', label: 'Orders', element: OrdersScreen, shortcut: 'Alt+3', permission: 'orders' },
  { id: 'sellers', label: 'Sellers', element: SellersScreen, shortcut: 'Alt+4', permission: 'read' },
  { id: 'import', label: 'Import', element: ImportScreen, shortcut: 'Alt+5', permission: 'import' },
  { id: 'dashboard', label: 'Dashboard', element: DashboardScreen, shortcut: 'Alt+6', permission: 'manage-events' },
  // Before Settings: a door account sees only these two, so Door is its home.
  { id: 'door', label: 'Door', element: DoorScreen, shortcut: 'Alt+7', permission: 'door' },
  { id: 'users', label: 'Users', element: UsersScreen, permission: 'admin' },
  { id: 'audit', label: 'Audit log', element: AuditScreen, permission: 'admin' },
  { id: 'settings', label: 'Settings', element: TokensScreen, permission: 'account' },
  { id: 'seats', label: 'Seat maps', element: SeatMapScreen, permission: 'sell' },
];
