import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const SCHEMA = new URL('../../../test/fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url);

/** A compiled validator for the official SARIF 2.1.0 schema (draft-07). */
export function sarifValidator(): (doc: unknown) => string[] {
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}
