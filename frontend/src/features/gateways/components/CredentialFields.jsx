import Field from '../../../components/ui/Field.jsx';
import { fieldError, messagesOf } from '../../../lib/apiClient.js';

/** The API may report a key's problem under details.credentials.<name> or as a flat field. */
export function credentialError(error, name) {
  const nested = error?.details?.credentials;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    const message = messagesOf(nested[name]).join(' ');
    if (message) return message;
  }
  return fieldError(error, `credentials.${name}`) || fieldError(error, name);
}

/** The form's label of a credential (`secret_key` -> "Secret key"), as the gateway type names it. */
export function credentialLabel(type, name) {
  const field = (type?.credential_fields || []).find((f) => f.name === name);
  return field?.label || name.replace(/_/g, ' ');
}

export function blankCredentials(type) {
  return Object.fromEntries((type?.credential_fields || []).map((f) => [f.name, '']));
}

/** Only the keys the user typed: a blank field leaves the stored value as it is. */
export function filledCredentials(values) {
  return Object.fromEntries(
    Object.entries(values)
      .map(([k, v]) => [k, v.trim()])
      .filter(([, v]) => v),
  );
}

/**
 * Inputs generated from a gateway type's `credential_fields`. Secrets are password inputs that
 * the browser does not autofill or spell-check.
 */
export default function CredentialFields({ type, values, onChange, error, keepBlank = false }) {
  return type.credential_fields.map((f) => (
    <Field
      key={f.name}
      label={`${f.label || f.name}${f.required && !keepBlank ? '' : ' (optional)'}`}
      help={keepBlank ? [f.help_text, 'Leave blank to keep the saved value.'].filter(Boolean).join(' ') : f.help_text}
      error={credentialError(error, f.name)}
    >
      {(p) => (
        <input
          {...p}
          name={f.name}
          type={f.secret ? 'password' : 'text'}
          autoComplete={f.secret ? 'new-password' : 'off'}
          spellCheck={false}
          required={f.required && !keepBlank}
          value={values[f.name] ?? ''}
          onChange={(e) => onChange({ ...values, [f.name]: e.target.value })}
        />
      )}
    </Field>
  ));
}
