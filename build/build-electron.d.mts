export function buildElectron(options?: { outdir?: string; quiet?: boolean }): Promise<{ main: string; preload: string; worker: string; writerLane: string }>;
