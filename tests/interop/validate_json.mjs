// Validates JSON files against a JSON Schema with Ajv (pinned in
// package.json), all formats checked. Prints one JSON document:
// [{file, valid, errors}]. Usage: node validate_json.mjs SCHEMA FILE...
import { createRequire } from "module";
import * as fs from "fs";

const require = createRequire(import.meta.url);
const Ajv = require("ajv").default;
const addFormats = require("ajv-formats").default;

const [schemaFile, ...files] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
const result = files.map((file) => {
  const valid = validate(JSON.parse(fs.readFileSync(file, "utf8")));
  return {
    file,
    valid,
    errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`),
  };
});
process.stdout.write(JSON.stringify(result) + "\n");
