import { fieldError } from '../../../lib/apiClient.js';

export default function ModeField({ value, onChange, error }) {
  const message = fieldError(error, 'mode');
  return (
    <fieldset className="field">
      <legend>Mode</legend>
      <div className="radio-row">
        {['test', 'live'].map((mode) => (
          <label key={mode} className="radio">
            <input type="radio" name="mode" value={mode} checked={value === mode} onChange={() => onChange(mode)} />
            {mode === 'test' ? 'Test' : 'Live'}
          </label>
        ))}
      </div>
      {message && <p className="field-error">{message}</p>}
    </fieldset>
  );
}
