import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeClosure, stageNativeModules, type RebuildOptions } from '../../build/native-modules.mjs';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(join(root, 'package.json'));
const config = JSON.parse(readFileSync(join(root, 'build', 'electron-builder.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and targets Linux, Windows and macOS', () => {
    expect(config.appId).toBe('org.marquee.boxoffice');
    expect(config.productName).toBe('Marquee');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/); // deb refuses to build without one
  });

  it('packs the built app and only the staged native modules', () => {
    expect(pkg.main).toBe('dist-electron/main.cjs');
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.files).toEqual(expect.arrayContaining(['dist/renderer/**/*', 'dist-electron/**/*', 'package.json', '!node_modules/**/*']));
    expect(config.files).toContainEqual({ from: 'release/.native/node_modules', to: 'node_modules', filter: ['**/*'] });
    expect(config.asar).toBe(true);
    // Matched against source paths, so the staged copy's addon needs a pattern free of the folder.
    expect(config.asarUnpack).toEqual(['**/*.node']);
  });

  it('never rebuilds the project’s node_modules: the beforePack hook stages a copy', async () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.beforePack).toBe('./build/before-pack.mjs');
    const hook = (await import(join(root, config.beforePack))) as { default: unknown };
    expect(typeof hook.default).toBe('function');
    expect(pkg.scripts.dist).toContain('--config build/electron-builder.json');
  });

  it('locks the packaged runtime down with fuses', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});

// Electron's security checklist, the items that are set when packaging (fuses) or by the version in use.
describe('security checklist: packaging and version', () => {
  const expected = {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    LoadBrowserProcessSpecificV8Snapshot: false,
    GrantFileProtocolExtraPrivileges: false,
  } as const;

  it('#19 fuses: electron-builder flips RunAsNode off, cookie encryption on, NODE_OPTIONS and --inspect off, ASAR integrity on, app only from ASAR, no V8 snapshot swap, no file:// privileges', async () => {
    // Exactly the wires electron-builder hands to @electron/fuses when it packs (platformPackager.generateFuseConfig).
    const builder = require('app-builder-lib') as { PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> } } };
    const wires = await builder.PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    const fusesEntry = createRequire(require.resolve('app-builder-lib')).resolve('@electron/fuses');
    const { FuseV1Options, FuseVersion } = (await import(fusesEntry)) as { FuseV1Options: Record<string, number>; FuseVersion: Record<string, string> };
    expect(wires.version).toBe(FuseVersion.V1);
    for (const [name, value] of Object.entries(expected)) {
      const wire = FuseV1Options[name];
      expect(wire, `${name} is a fuse of this @electron/fuses`).toBeTypeOf('number');
      expect(wires[String(wire)], name).toBe(value);
    }
    // Every fuse Electron knows is decided, none left to the default.
    expect(Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k))).sort()).toEqual(Object.keys(expected).sort());
  });

  it('#19 fuses: the config that sets them passes electron-builder’s schema with every fuse key', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    expect(Object.keys(config.electronFuses).sort()).toEqual(
      ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges'].sort(),
    );
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    // The schema does check the fuses: a misspelt one is refused.
    await expect(validateConfiguration({ ...structuredClone(config), electronFuses: { runAsnode: false } }, new DebugLogger(false))).rejects.toThrow();
  });

  it('#16 current Electron: package.json pins electron ^45 or newer and the installed one is that major', () => {
    const range = pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
    const pinned = /^\^(\d+)\.\d+\.\d+$/.exec(String(range));
    expect(pinned, `electron range ${String(range)}`).not.toBeNull();
    const major = Number(pinned![1]);
    expect(major).toBeGreaterThanOrEqual(45);
    const installed = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string };
    expect(Number(installed.version.split('.')[0])).toBe(major);
  });
});

describe('native module staging', () => {
  const projectAddon = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('knows better-sqlite3’s run-time closure', () => {
    expect([...runtimeClosure(root, ['better-sqlite3']).keys()].sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path']);
  });

  it('rebuilds a staged copy and leaves the project’s Node build untouched', async () => {
    const before = hash(projectAddon);
    const stageDir = mkdtempSync(join(tmpdir(), 'marquee-stage-'));
    const calls: RebuildOptions[] = [];
    try {
      const modulesDir = await stageNativeModules({
        projectDir: root,
        stageDir,
        electronVersion: '45.4.1',
        arch: 'x64',
        platform: 'linux',
        rebuild: async (o) => {
          calls.push(o);
          // What node-gyp would leave: the addon plus objects that must not be packed.
          const release = join(o.buildPath, 'node_modules', 'better-sqlite3', 'build', 'Release');
          mkdirSync(join(release, 'obj.target'), { recursive: true });
          writeFileSync(join(release, 'better_sqlite3.node'), 'electron build');
          writeFileSync(join(release, 'obj.target', 'x.o'), 'object');
        },
      });
      expect(calls).toEqual([{ buildPath: stageDir, electronVersion: '45.4.1', arch: 'x64', platform: 'linux', onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' }]);
      expect(readdirSync(modulesDir).sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path']);
      const staged = join(modulesDir, 'better-sqlite3');
      expect(readFileSync(join(staged, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('electron build');
      expect(readdirSync(join(staged, 'build', 'Release'))).toEqual(['better_sqlite3.node']);
      expect(existsSync(join(staged, 'lib', 'index.js'))).toBe(true);
      expect(existsSync(join(staged, 'deps'))).toBe(false);
      expect(existsSync(join(staged, 'src'))).toBe(false);
      expect(hash(projectAddon)).toBe(before);
    } finally {
      rmSync(stageDir, { recursive: true, force: true });
    }
  });

  it('fails loudly when the rebuild produced no addon', async () => {
    const stageDir = mkdtempSync(join(tmpdir(), 'marquee-stage-'));
    try {
      await expect(stageNativeModules({ projectDir: root, stageDir, electronVersion: '45.4.1', rebuild: async () => undefined })).rejects.toThrow(/produced no/);
    } finally {
      rmSync(stageDir, { recursive: true, force: true });
    }
  });
});
