/**
 * The system Chromium (apt's /usr/bin/chromium) and the flags it runs with, for the e2e tests and the
 * seat-map bench alike: Playwright never downloads a browser here.
 */
export const SYSTEM_CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
