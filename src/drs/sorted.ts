/** Keeping an array of indices sorted when one element's key changes, without a full re-sort. */

/** Restores the order of `arr` after element `x`'s key changed; O(distance moved) after an O(n) find. */
export function reposition(arr: number[], x: number, cmp: (a: number, b: number) => number): void {
  let i = arr.indexOf(x);
  if (i < 0) return;
  while (i > 0 && cmp(arr[i - 1] as number, x) > 0) {
    arr[i] = arr[i - 1] as number;
    i--;
  }
  arr[i] = x;
  while (i < arr.length - 1 && cmp(x, arr[i + 1] as number) > 0) {
    arr[i] = arr[i + 1] as number;
    i++;
  }
  arr[i] = x;
}
