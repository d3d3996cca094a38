import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code as a data: URL, so the CSP (img-src 'self' data:) allows it and printing needs no network. */
export function useQrDataUrl(text: string | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!text) return;
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: 320 })
      .then((u) => live && setUrl(u))
      .catch(() => live && setUrl(null));
    return () => {
      live = false;
    };
  }, [text]);
  return url;
}
