import { useEffect, useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import useSubmit from '../../../lib/useSubmit.js';
import { removeLogo, uploadLogo } from '../api/profileService.js';

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
export const LOGO_MAX_BYTES = 512 * 1024;

/** What is wrong with a chosen file before it is sent (the server checks again), or null. */
export function logoProblem(file) {
  if (!LOGO_TYPES.includes(file.type)) return 'Choose a PNG, JPEG or WebP image (SVG is not accepted).';
  if (file.size > LOGO_MAX_BYTES) return `The logo is ${Math.ceil(file.size / 1024)} KB; the limit is 512 KB.`;
  return null;
}

/** The logo: a preview of the chosen file before upload, then of the stored one. */
export default function LogoField({ logoUrl, onSaved }) {
  const [file, setFile] = useState(null);
  const [preview, setPreview] = useState(null);
  const [problem, setProblem] = useState(null);
  const { run, busy, error } = useSubmit();

  useEffect(() => {
    if (!file) return undefined;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  function choose(event) {
    const chosen = event.target.files?.[0] || null;
    const issue = chosen ? logoProblem(chosen) : null;
    setProblem(issue);
    setFile(issue ? null : chosen);
    if (issue || !chosen) setPreview(null);
  }

  async function upload() {
    const saved = await run(() => uploadLogo(file));
    if (!saved) return;
    setFile(null);
    setPreview(null);
    onSaved(saved, 'Logo saved.');
  }

  async function remove() {
    const saved = await run(() => removeLogo());
    if (saved) onSaved(saved, 'Logo removed.');
  }

  const shown = preview || logoUrl;
  const message = problem || error?.details?.logo?.join(' ') || error?.message;
  return (
    <fieldset className="card logo-field">
      <legend className="section-title">Logo</legend>
      {shown ? (
        <img className="logo-preview" src={shown} alt={preview ? 'Preview of the chosen logo' : 'Your logo'} />
      ) : (
        <p className="muted small">No logo yet. Clients see your business name instead.</p>
      )}
      {message && <Alert kind="error">{message}</Alert>}
      <label htmlFor="logo-file" className="small">
        PNG, JPEG or WebP, at most 512 KB and 2000 pixels a side
      </label>
      <input id="logo-file" type="file" accept={LOGO_TYPES.join(',')} onChange={choose} />
      <div className="link-row">
        <button type="button" className="btn btn-primary" disabled={!file || busy} onClick={upload}>
          {busy ? 'Saving…' : 'Upload logo'}
        </button>
        {logoUrl && !file && (
          <button type="button" className="btn btn-ghost" disabled={busy} onClick={remove}>
            Remove logo
          </button>
        )}
      </div>
    </fieldset>
  );
}
