export interface DesktopArgs {
  kiosk: boolean;
  /** Overrides app.getPath('userData') (tests, several box offices on one machine). */
  dataDir?: string;
  /** Overrides the saved idle-lock minutes in kiosk mode. */
  idleMinutes?: number;
}

/**
 * Reads our flags out of process.argv, which also carries Electron's and Chromium's own switches
 * (and, in development, the script path): unknown arguments are left alone rather than refused.
 */
export function parseDesktopArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DesktopArgs {
  const value = (flag: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === flag) return argv[i + 1];
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    }
    return undefined;
  };
  const out: DesktopArgs = { kiosk: argv.includes('--kiosk') || env.MARQUEE_KIOSK === '1' };
  const data = value('--data') ?? env.MARQUEE_DATA_DIR;
  if (data && !data.startsWith('--')) out.dataDir = data;
  const idle = Number(value('--idle-minutes'));
  if (Number.isFinite(idle) && idle > 0) out.idleMinutes = idle;
  return out;
}
