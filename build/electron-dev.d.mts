export const DEV_NATIVE_DIR: string;
export function sqliteLoadsIn(electronPath: string, modulesDir?: string): boolean;
export function prepareElectronNative(electronPath: string, options?: { log?: (line: string) => void }): Promise<{ dir: string | null; error?: string }>;
