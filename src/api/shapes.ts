// The shapes of request members, as the Step Functions API model declares them (types, lengths, ranges, enums,
// patterns): the AWS JSON 1.0 protocol checks every request against its action's shape before the action runs.

/** A string member; `utf8Bytes` when its length limit counts UTF-8 bytes (payloads: "Length constraints apply to
 *  the payload size, and are expressed as bytes in UTF-8 encoding"). Sensitive values are not echoed in errors. */
export interface StringShape {
  readonly type: "string";
  readonly min?: number;
  readonly max?: number;
  readonly utf8Bytes?: boolean;
  readonly enum?: readonly string[];
  /** The model's pattern, and the text AWS quotes in its message. */
  readonly pattern?: { readonly regex: RegExp; readonly text: string };
  readonly sensitive?: boolean;
}

/** A 32-bit integer member. */
export interface IntegerShape {
  readonly type: "integer";
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanShape {
  readonly type: "boolean";
}

export interface ListShape {
  readonly type: "list";
  readonly member: Shape;
  readonly min?: number;
  readonly max?: number;
}

/** A structure; `name` is the model's shape name (AWS quotes it in some deserialization errors). */
export interface StructureShape {
  readonly type: "structure";
  readonly name: string;
  readonly members: Readonly<Record<string, Shape>>;
  readonly required: readonly string[];
}

export type Shape = StringShape | IntegerShape | BooleanShape | ListShape | StructureShape;

export function string(constraints: Omit<StringShape, "type"> = {}): StringShape {
  return { type: "string", ...constraints };
}

export function integer(constraints: Omit<IntegerShape, "type"> = {}): IntegerShape {
  return { type: "integer", ...constraints };
}

export function boolean(): BooleanShape {
  return { type: "boolean" };
}

export function list(member: Shape, constraints: Omit<ListShape, "type" | "member"> = {}): ListShape {
  return { type: "list", member, ...constraints };
}

export function structure(name: string, members: Record<string, Shape>, required: readonly string[] = []): StructureShape {
  return { type: "structure", name, members, required };
}

export function oneOf(...values: string[]): StringShape {
  return { type: "string", enum: values };
}
