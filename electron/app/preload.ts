// Sandboxed preload: bundled into one CJS file (dist-electron/preload.cjs) because a sandboxed
// preload can require only `electron` and a few builtins. It exposes the typed client and the
// idle-lock subscription, never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { START_URL } from './app-origin.js';
import { exposeApi } from './preload-client.js';

exposeApi(contextBridge, ipcRenderer, () => window.location.assign(START_URL));
