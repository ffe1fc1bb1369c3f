import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import useSubmit from '../useSubmit.js';

describe('useSubmit', () => {
  it('is busy while the action runs, then resolves to its result', async () => {
    const { result } = renderHook(() => useSubmit());
    let finish;
    let outcome;
    act(() => {
      outcome = result.current.run(() => new Promise((resolve) => (finish = resolve)), 'save');
    });
    expect(result.current.busy).toBe('save');
    await act(async () => finish('done'));
    expect(await outcome).toBe('done');
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it('keeps the failure, or what onError makes of it', async () => {
    const failing = () => Promise.reject(new Error('Nope'));
    const plain = renderHook(() => useSubmit());
    await act(async () => expect(await plain.result.current.run(failing)).toBeUndefined());
    expect(plain.result.current.error.message).toBe('Nope');
    expect(plain.result.current.busy).toBe(false);

    const handled = renderHook(() => useSubmit({ onError: () => null }));
    await act(async () => handled.result.current.run(failing));
    expect(handled.result.current.error).toBeNull();
  });

  it('stays busy after a success when the page is going away', async () => {
    const { result } = renderHook(() => useSubmit({ keepBusy: true }));
    await act(async () => result.current.run(() => Promise.resolve('redirecting')));
    expect(result.current.busy).toBe(true);
  });
});
