import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Runs `load()` on mount and whenever `deps` change; `reload()` runs it again without clearing
 * what is shown. Results of a superseded call are dropped. `setData(data)` (what an action just
 * saved) supersedes a call still in flight too: that call's answer may have been read before the
 * action and must not put the old state back when it arrives late.
 */
export default function useLoad(load, deps) {
  const [state, setState] = useState({ loading: true, data: null, error: null });
  const counter = useRef(0);

  const run = useCallback(async (keepData) => {
    const call = ++counter.current;
    setState((s) => ({ loading: true, data: keepData ? s.data : null, error: null }));
    try {
      const data = await load();
      if (call === counter.current) setState({ loading: false, data, error: null });
      return data;
    } catch (error) {
      if (call === counter.current) setState((s) => ({ loading: false, data: keepData ? s.data : null, error }));
      return undefined;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what `load` depends on, as with useEffect
  }, deps);

  useEffect(() => {
    run(false);
    return () => {
      counter.current += 1;
    };
  }, [run]);

  const reload = useCallback(() => run(true), [run]);
  const setData = useCallback((data) => {
    counter.current += 1;
    setState({ loading: false, data, error: null });
  }, []);
  return { ...state, reload, setData };
}
