import type { Link } from '../api/client';
import { Dialog } from './Dialog';

function qrUrl(code: string, format: 'png' | 'svg', size?: number) {
  const query = new URLSearchParams({ format, ...(size ? { size: String(size) } : {}) });
  return `/api/links/${encodeURIComponent(code)}/qr?${query}`;
}

export function QrDialog({ link, onClose }: { link: Link; onClose: () => void }) {
  const code = link.code ?? '';
  return (
    <Dialog title={`QR code of /${code}`} onClose={onClose}>
      <img className="qr" src={qrUrl(code, 'svg')} width={256} height={256} alt={`QR code that opens ${link.shortUrl}`} />
      <p className="muted">{link.shortUrl}</p>
      <div className="dialog-actions">
        <a className="button" href={qrUrl(code, 'png', 1024)} download={`${code}.png`}>
          Download PNG
        </a>
        <a className="button" href={qrUrl(code, 'svg')} download={`${code}.svg`}>
          Download SVG
        </a>
        <button type="button" className="button button-primary" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
