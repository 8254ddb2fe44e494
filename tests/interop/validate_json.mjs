// Validates JSON files against a JSON Schema with Ajv (pinned in
// package.json), all formats checked. Prints one JSON document:
// [{file, valid, errors}]. Usage: node validate_json.mjs SCHEMA FILE...
// (an argument @LIST names a file with one path per line).
import { createRequire } from "module";
import * as fs from "fs";

const require = createRequire(import.meta.url);
const Ajv = require("ajv").default;
const addFormats = require("ajv-formats").default;

const [schemaFile, ...args] = process.argv.slice(2);
const files = args.flatMap((a) =>
  a.startsWith("@") ? fs.readFileSync(a.slice(1), "utf8").split("\n").filter(Boolean) : [a]);
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
