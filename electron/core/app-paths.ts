import { homedir } from 'node:os';
import { join } from 'node:path';

/** The OS's app-data folder for Marquee; --data or MARQUEE_DATA_DIR override it. */
export function defaultDataDir(env = process.env, platform = process.platform): string {
  if (env.MARQUEE_DATA_DIR) return env.MARQUEE_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Marquee');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Marquee');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'marquee');
}

export const databaseFile = (dataDir: string) => join(dataDir, 'marquee.sqlite');
