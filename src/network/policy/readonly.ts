/** Deep `readonly` for the static types TypeBox derives, so compiled API objects cannot be mutated by accident. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
