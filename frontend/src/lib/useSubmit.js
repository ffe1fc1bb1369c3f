import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The busy/error pattern of every form and action button: `run(action)` marks the form busy,
 * clears the last error, awaits `action()` and resolves to its result, or to undefined when it
 * threw. A failure is kept in `error`, unless `onError(err)` maps it to something else (null to
 * show nothing: the caller handled it).
 *
 * `busy` holds the label given to `run` (true by default), so one hook can tell which of several
 * buttons is working. With `keepBusy`, a success leaves the form busy: the page is going away
 * (a redirect to the checkout) and must not offer the button again meanwhile.
 */
export default function useSubmit({ onError, keepBusy = false } = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const mounted = useRef(false);
  const onErrorRef = useRef(onError);
  useEffect(() => {
    onErrorRef.current = onError;
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    async (action, label = true) => {
      setBusy(label);
      setError(null);
      try {
        const result = await action();
        if (mounted.current && !keepBusy) setBusy(false);
        return result;
      } catch (err) {
        if (mounted.current) {
          setError(onErrorRef.current ? onErrorRef.current(err) : err);
          setBusy(false);
        }
        return undefined;
      }
    },
    [keepBusy],
  );

  return { run, busy, error, setError };
}
