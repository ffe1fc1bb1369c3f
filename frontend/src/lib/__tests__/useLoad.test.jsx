import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import useLoad from '../useLoad.js';

/** A load whose answers the test gives, one call at a time, in any order. */
function answers() {
  const pending = [];
  const load = () => new Promise((resolve) => pending.push(resolve));
  return { load, pending };
}

describe('useLoad', () => {
  it('shows what the first load answers', async () => {
    const { load, pending } = answers();
    const { result } = renderHook(() => useLoad(load, []));
    expect(result.current.loading).toBe(true);
    await act(async () => pending[0]({ status: 'draft' }));
    expect(result.current).toMatchObject({ loading: false, data: { status: 'draft' }, error: null });
  });

  it('keeps what an action saved when a reload started before it answers late', async () => {
    const { load, pending } = answers();
    const { result } = renderHook(() => useLoad(load, []));
    await act(async () => pending[0]({ status: 'draft' }));

    // The owner clicks Refresh, then Send; the send's answer comes back first.
    act(() => {
      result.current.reload();
    });
    act(() => result.current.setData({ status: 'sent' }));
    expect(result.current.data).toEqual({ status: 'sent' });

    await act(async () => pending[1]({ status: 'draft' })); // read before the send
    expect(result.current.data).toEqual({ status: 'sent' });
    expect(result.current.loading).toBe(false);
  });

  it('drops the answer of a load that a newer one replaced', async () => {
    const { load, pending } = answers();
    const { result } = renderHook(() => useLoad(load, []));
    await act(async () => pending[0]({ n: 1 }));
    act(() => {
      result.current.reload();
    });
    act(() => {
      result.current.reload();
    });
    await act(async () => pending[2]({ n: 3 }));
    await act(async () => pending[1]({ n: 2 }));
    expect(result.current.data).toEqual({ n: 3 });
  });
});
