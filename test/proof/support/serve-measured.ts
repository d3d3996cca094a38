// `marquee serve` as the CLI runs it, plus one thing for the memory proof: asked over the IPC channel,
// it collects garbage and reports process.memoryUsage() (run with --expose-gc).
import { main } from '../../../electron/cli/main.js';

process.on('message', (m) => {
  if (m !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.({ memory: process.memoryUsage() });
});
process.exitCode = await main(process.argv.slice(2));
