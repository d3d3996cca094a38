export const PROJECT_DIR: string;
export const STAGE_DIR: string;
export const NATIVE_MODULES: string[];
export function runtimeClosure(projectDir: string, names: string[]): Map<string, string>;
export interface RebuildOptions {
  buildPath: string;
  electronVersion: string;
  arch?: string;
  platform?: string;
  onlyModules: string[];
  force: boolean;
  mode: 'sequential' | 'parallel';
}
export function stageNativeModules(options: {
  projectDir?: string;
  stageDir?: string;
  electronVersion: string;
  arch?: string;
  platform?: string;
  rebuild?: (options: RebuildOptions) => Promise<void>;
}): Promise<string>;
