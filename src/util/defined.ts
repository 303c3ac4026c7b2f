// Objects without their undefined fields. With exactOptionalPropertyTypes an optional field is either absent or
// set; `defined({ a, b })` builds such an object from values that may be undefined, in place of one
// `...(a !== undefined ? { a } : {})` per field. The result is also what JSON and deepStrictEqual see.

/** `T` with each field that may be undefined made optional and never undefined. */
export type Defined<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** A copy of `fields` without the ones that are undefined. */
export function defined<T extends object>(fields: T): Defined<T> {
  const out: Record<string, unknown> = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) out[key] = value;
  }
  // The loop keeps exactly the fields `Defined<T>` describes.
  return out as Defined<T>;
}

/** `f(value)`, or undefined when the value is: for a field derived from an optional one. */
export function mapDefined<T, R>(value: T | undefined, f: (value: T) => R): R | undefined {
  return value === undefined ? undefined : f(value);
}
