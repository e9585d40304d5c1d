// Validates JSON files against a JSON Schema (draft 2020-12) with ajv:
//   node tests/tools/validate.mjs SCHEMA FILE...
// One line per invalid file: FILE: the JSON pointer, what is wrong; exit 1 if any.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || !files.length) {
  console.error('usage: validate.mjs SCHEMA FILE...');
  process.exit(2);
}
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
let bad = 0;
for (const f of files) {
  let data;
  try {
    data = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    console.log(`${f}: not JSON: ${e.message}`);
    bad++;
    continue;
  }
  if (!validate(data)) {
    bad++;
    for (const e of validate.errors) {
      const extra = e.params && (e.params.additionalProperty || e.params.missingProperty || e.params.allowedValues);
      console.log(`${f}: ${e.instancePath || '/'}: ${e.message}${extra ? ` (${JSON.stringify(extra)})` : ''}`);
    }
  }
}
console.error(`validate: ${files.length} files against ${schemaPath}, ${bad} invalid`);
process.exit(bad ? 1 : 0);
