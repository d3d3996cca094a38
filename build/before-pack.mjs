// electron-builder beforePack hook: stage better-sqlite3 rebuilt for this Electron version and arch
// (see native-modules.mjs for why the project's own node_modules is never rebuilt).
import { createRequire } from 'node:module';
import { stageNativeModules } from './native-modules.mjs';

const { Arch } = createRequire(import.meta.url)('builder-util');

export default async function beforePack(context) {
  const electronVersion = context.packager.info.framework.version;
  const arch = Arch[context.arch];
  const dir = await stageNativeModules({ electronVersion, arch, platform: context.electronPlatformName });
  console.log(`  • staged native modules for Electron ${electronVersion} ${context.electronPlatformName}-${arch} in ${dir}`);
}
