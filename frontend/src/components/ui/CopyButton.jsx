import { useEffect, useRef, useState } from 'react';

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext !== false) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused or not a secure context: try the old way below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    ok = false;
  }
  document.body.removeChild(area);
  return ok;
}

/**
 * Copies `text` and says "Copied". When the browser allows neither the Clipboard API nor
 * execCommand, it selects `fallbackTarget` (an input's ref) and asks the user to copy by hand.
 */
export default function CopyButton({ text, label = 'Copy', fallbackTarget, className = 'btn' }) {
  const [state, setState] = useState('idle');
  const timer = useRef(null);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function onClick() {
    const ok = await copyText(text);
    if (!ok && fallbackTarget && fallbackTarget.current) {
      fallbackTarget.current.focus();
      fallbackTarget.current.select();
    }
    setState(ok ? 'copied' : 'manual');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 4000);
  }

  return (
    <span className="copy">
      <button type="button" className={className} onClick={onClick}>
        {state === 'copied' ? 'Copied' : label}
      </button>
      <span className="copy-status" role="status" aria-live="polite">
        {state === 'copied' && <span className="visually-hidden">Copied to the clipboard</span>}
        {state === 'manual' && <span className="muted small">Press Ctrl+C (⌘C on a Mac) to copy.</span>}
      </span>
    </span>
  );
}
