import type { ExampleConfigModel, ExampleEntry } from './example-config.js';

/** A JSON Schema type name. */
type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

/** The JSON Schema of one key: its type (from the example's value) and its comment. */
export interface KeySchema {
  type?: JsonType;
  description: string;
}

/** The JSON Schema (draft 2020-12) of a service's YAML: what editors and `config validate` check. */
export interface ConfigSchema {
  $schema: string;
  $id: string;
  title: string;
  description: string;
  type: 'object';
  required: string[];
  properties: Record<string, KeySchema>;
  additionalProperties: boolean;
}

/** The JSON type of a value; none for null (the default says nothing of the type) and for computed defaults. */
export function jsonType(value: unknown): JsonType | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object')
    return typeof value as JsonType;
  return undefined;
}

function keySchema(entry: ExampleEntry): KeySchema {
  const type = entry.commented || entry.defaultNone ? undefined : jsonType(entry.value);
  return type ? { type, description: entry.comment } : { description: entry.comment };
}

/** The file name of a service's schema: beside its example YAML. */
export function schemaFileOf(exampleConfig: string, service: string): string {
  const slash = exampleConfig.lastIndexOf('/');
  return `${slash >= 0 ? exampleConfig.slice(0, slash + 1) : ''}${service}.schema.json`;
}

/**
 * The schema of the YAML the example documents: every key with its type (from the example's
 * value) and its comment as description, the required part as `required`, and the settings
 * the example leaves out as known keys. Other keys stay allowed (a Django setting the code
 * does not name may still be read by a library): `config validate` reports them.
 */
export function toConfigSchema(model: ExampleConfigModel, service: string, file: string): ConfigSchema {
  const properties: Record<string, KeySchema> = {};
  for (const entry of [...model.required, ...model.overrides]) properties[entry.key] = keySchema(entry);
  for (const name of model.omitted) {
    properties[name] ??= { description: 'A setting of the code the example leaves out (development or internals)' };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: file,
    title: `${service} YAML configuration`,
    description: model.header.join(' '),
    type: 'object',
    required: model.required.map((entry) => entry.key),
    properties,
    additionalProperties: true,
  };
}

/** The schema as the file holds it. */
export function renderConfigSchema(schema: ConfigSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
