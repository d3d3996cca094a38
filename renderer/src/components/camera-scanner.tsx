import { useEffect, useRef, useState } from 'react';

/**
 * Camera scanning for the Door screen (issue 13): the browser's BarcodeDetector when it has one
 * (Chromium on macOS, ChromeOS, Android), else jsQR on frames drawn to a canvas (loaded only when the
 * camera is switched on). Either way a decoded code is handed to `onCode`, the same check-in path as
 * the keyboard-wedge field; the same code seen again within REPEAT_MS is ignored, so a ticket held up
 * to the camera scans once, not once a frame.
 */

/** A ticket held in front of the camera keeps being seen; it counts again only after this long out of view. */
export const REPEAT_MS = 2000;
const FRAME_MS = 150;
/** jsQR is fast enough on a frame this wide and the codes are big; the canvas never holds more. */
const MAX_SCAN_WIDTH = 640;

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

type Decoder = (video: HTMLVideoElement) => Promise<string | null>;

/** Whether this page may ask for a camera at all (secure origin, a browser with getUserMedia). */
export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

function barcodeDetector(): BarcodeDetectorCtor | null {
  const ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  return typeof ctor === 'function' ? ctor : null;
}

type JsQr = (data: Uint8ClampedArray, width: number, height: number, options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' }) => { data: string } | null;

/** jsQR is a CommonJS bundle whose function sits at `default` or `default.default`, depending on the interop. */
async function loadJsQr(): Promise<JsQr> {
  const mod = (await import('jsqr')) as { default?: unknown };
  const fn = typeof mod.default === 'function' ? mod.default : (mod.default as { default?: unknown } | undefined)?.default;
  if (typeof fn !== 'function') throw new Error('The QR decoder did not load');
  return fn as JsQr;
}

async function makeDecoder(): Promise<{ decode: Decoder; kind: 'barcode-detector' | 'jsqr' }> {
  const Detector = barcodeDetector();
  if (Detector) {
    const detector = new Detector({ formats: ['qr_code'] });
    return {
      kind: 'barcode-detector',
      decode: async (video) => {
        const found = await detector.detect(video);
        return found.find((b) => b.rawValue)?.rawValue ?? null;
      },
    };
  }
  const jsQR = await loadJsQr();
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  if (!g) throw new Error('This browser cannot read camera frames (no 2D canvas)');
  return {
    kind: 'jsqr',
    decode: async (video) => {
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (!w || !h) return null;
      const scale = Math.min(1, MAX_SCAN_WIDTH / w);
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      g.drawImage(video, 0, 0, canvas.width, canvas.height);
      const img = g.getImageData(0, 0, canvas.width, canvas.height);
      return jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' })?.data || null;
    },
  };
}

/** Sliding-window repeat filter: a code passes if it was not seen in the last `windowMs`. */
export function repeatFilter(windowMs = REPEAT_MS, now: () => number = () => performance.now()) {
  const seen = new Map<string, number>();
  return (code: string): boolean => {
    const t = now();
    for (const [c, at] of seen) if (t - at > windowMs) seen.delete(c);
    const fresh = !seen.has(code);
    seen.set(code, t);
    return fresh;
  };
}

function cameraError(err: unknown): string {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'The camera was not allowed. Allow it for this page (or use the scanner and the code field).';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera found on this device.';
  if (name === 'NotReadableError') return 'The camera is in use by another program.';
  return err instanceof Error ? err.message : String(err);
}

/** The live camera view; scans while mounted and stops the camera when unmounted. */
export function CameraScanner({ onCode, paused }: { onCode: (code: string) => void; paused?: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<{ status: 'starting' | 'scanning' | 'failed'; message?: string; kind?: string }>({ status: 'starting' });
  const handler = useRef(onCode);
  const pausedRef = useRef(paused);
  useEffect(() => {
    handler.current = onCode;
    pausedRef.current = paused;
  });

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    const fresh = repeatFilter();
    (async () => {
      try {
        const decoder = await makeDecoder();
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
        const v = video.current;
        if (stopped || !v) {
          // Switched off (or unmounted) while the browser was asking: give the camera back at once.
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        v.srcObject = stream;
        await v.play().catch(() => undefined);
        setState({ status: 'scanning', kind: decoder.kind });
        const tick = async () => {
          if (stopped) return;
          try {
            if (!pausedRef.current && v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
              const code = (await decoder.decode(v))?.trim();
              if (!stopped && code && fresh(code)) handler.current(code);
            }
          } catch {
            // A frame the decoder could not read: try the next one.
          }
          if (!stopped) timer = window.setTimeout(() => void tick(), FRAME_MS);
        };
        void tick();
      } catch (err) {
        if (!stopped) setState({ status: 'failed', message: cameraError(err) });
      }
    })();
    return () => {
      stopped = true;
      if (timer !== undefined) window.clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return (
    <div className="door-camera" data-testid="door-camera" data-status={state.status} data-decoder={state.kind}>
      <video ref={video} className="door-camera-video" muted playsInline aria-label="Camera view: hold the ticket's QR code up to it" />
      <span className="muted door-camera-status" role="status">
        {state.status === 'starting' ? 'Starting the camera…' : state.status === 'scanning' ? 'Hold the ticket’s QR code up to the camera.' : null}
      </span>
      {state.status === 'failed' ? (
        <div className="notice notice-error" role="alert">
          {state.message}
        </div>
      ) : null}
    </div>
  );
}
