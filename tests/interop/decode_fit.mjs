// Decodes FIT files with Garmin's own SDK (@garmin/fitsdk, pinned in
// package.json) and prints one JSON document: per file the header bytes, the
// SDK's isFIT / checkIntegrity verdicts, its decode errors, and the messages
// with raw enum numbers (no sub-field expansion), so the C++ test can compare
// them with the plan. Usage: node decode_fit.mjs FILE... (an argument @LIST
// names a file with one path per line, for more files than a command line holds).
import { createRequire } from "module";
import * as fs from "fs";

const require = createRequire(import.meta.url);
const { Decoder, Stream, Profile } = require("@garmin/fitsdk");

/// The SDK profile's name for an exercise pair ("bodyWeightJumpSquat"), null
/// when the profile has no such pair.
function profileName(category, name) {
  if (category == null || name == null) {
    return null;
  }
  const names = Profile.types[`${Profile.types.exerciseCategory[category]}ExerciseName`];
  return names?.[name] ?? null;
}

const result = [];
const files = process.argv
  .slice(2)
  .flatMap((a) => (a.startsWith("@") ? fs.readFileSync(a.slice(1), "utf8").split("\n").filter(Boolean) : [a]));
for (const file of files) {
  const bytes = fs.readFileSync(file);
  const decoder = new Decoder(Stream.fromBuffer(bytes));
  const entry = {
    file,
    size: bytes.length,
    header: {
      size: bytes[0],
      protocol: bytes[1],
      profile: bytes.readUInt16LE(2),
      dataSize: bytes.readUInt32LE(4),
      tag: bytes.subarray(8, 12).toString("latin1"),
    },
    isFIT: decoder.isFIT(),
    integrity: decoder.checkIntegrity(),
  };
  // The default (string enums) decode must succeed too; its errors count.
  const full = new Decoder(Stream.fromBuffer(bytes)).read();
  const raw = new Decoder(Stream.fromBuffer(bytes)).read({
    convertTypesToStrings: false,
    expandSubFields: false,
    mergeHeartRates: false,
    convertDateTimesToDates: false,
  });
  entry.errors = [...full.errors, ...raw.errors].map((e) => String(e && e.message ? e.message : e));
  const m = raw.messages;
  entry.fileId = m.fileIdMesgs ?? [];
  entry.workout = m.workoutMesgs ?? [];
  entry.steps = m.workoutStepMesgs ?? [];
  entry.titles = m.exerciseTitleMesgs ?? [];
  // Per step, the profile's name for its (exerciseCategory, exerciseName) pair.
  entry.names = entry.steps.map((s) => profileName(s.exerciseCategory, s.exerciseName));
  result.push(entry);
}
process.stdout.write(JSON.stringify(result) + "\n");
