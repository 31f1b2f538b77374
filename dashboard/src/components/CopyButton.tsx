import { useEffect, useState } from 'react';

async function copy(text: string): Promise<boolean> {
  try {
    // only on https and localhost; elsewhere the fallback below
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand?.('copy') ?? false;
    area.remove();
    return done;
  }
}

/** Copies text; says so in a live region, since the button's label alone would not be announced. */
export function CopyButton({ text, label, className }: { text: string; label: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);
  return (
    <>
      <button
        type="button"
        className={className ?? 'button button-small'}
        aria-label={label}
        onClick={() => void copy(text).then((copied) => setState(copied ? 'copied' : 'failed'))}
      >
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? `Copied ${text}` : state === 'failed' ? `Could not copy; select ${text} and copy it` : ''}
      </span>
    </>
  );
}
