/** The constraint table format emitted by tools/generate.ts into src/generated/<service>/schema.ts. */
export type ShapeSchema =
  | { type: 'string'; min?: number; max?: number; pattern?: string; enum?: readonly string[]; sensitive?: boolean }
  | { type: 'integer' | 'number'; min?: number; max?: number }
  | { type: 'boolean' | 'timestamp' | 'document' }
  | { type: 'blob'; min?: number; max?: number }
  | { type: 'list'; member: string; min?: number; max?: number }
  | { type: 'map'; key: string; value: string; min?: number; max?: number; sensitive?: boolean }
  | {
      type: 'structure';
      members: Readonly<Record<string, string>>;
      required?: readonly string[];
      sensitive?: boolean;
    };
