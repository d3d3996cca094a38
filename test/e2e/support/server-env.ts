/** How global setup hands the running server to the specs (workers inherit the runner's env). */
export const ENV_BASE = 'MARQUEE_E2E_BASE';
export const ENV_PID = 'MARQUEE_E2E_PID';
export const ENV_DATA = 'MARQUEE_E2E_DATA';
export const E2E_TOKEN = 'e2e-test-token-4f9c2a71d0b3';
