export function findElectronBinary(env?: NodeJS.ProcessEnv, fromDir?: string): { path: string } | { path: null; reason: string };
