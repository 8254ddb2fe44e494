#!/usr/bin/env node
// A generated coach's roster for the batch tests: N athletes, each with a
// year of running written as small FIT activity files by Garmin's own
// @garmin/fitsdk Encoder (one record every two minutes keeps the files small; the
// session message carries the device totals), and roster.csv beside them.
//
//   node make_roster.mjs OUTDIR [--athletes N] [--weeks W] [--formats LIST]
//
// Deterministic: seeded per athlete, no clock read. History ends on
// Sunday 2026-11-22; every athlete has an A race some weeks after it.
import { Encoder, Profile } from "@garmin/fitsdk";
import fs from "node:fs";
import path from "node:path";

const argv = process.argv.slice(2);
if (argv.length < 1) {
  console.error("usage: node make_roster.mjs OUTDIR [--athletes N] [--weeks W] [--formats LIST]");
  process.exit(2);
}
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const outDir = argv[0];
const athletes = Number(opt("--athletes", "50"));
const weeks = Number(opt("--weeks", "52"));
const formats = opt("--formats", "csv");

function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86400000;
const lastSunday = Date.UTC(2026, 10, 22);
const firstMonday = lastSunday - (weeks * 7 - 1) * DAY_MS;
const ymd = (ms) => new Date(ms).toISOString().slice(0, 10);
const M = Profile.MesgNum;

function activity(rand, startMs, km, paceSPerKm, hrAvg, serial) {
  const enc = new Encoder();
  const at = (t) => new Date(startMs + t * 1000);
  const seconds = Math.round(km * paceSPerKm);
  enc.onMesg(M.FILE_ID, { type: "activity", manufacturer: "garmin", product: 4315, serialNumber: serial, timeCreated: at(0) });
  enc.onMesg(M.EVENT, { timestamp: at(0), event: "timer", eventType: "start", eventGroup: 0 });
  let ascent = 0;
  let alt = 200 + rand() * 300;
  let maxHr = 0;
  for (let t = 0; t <= seconds; t += 120) {
    const climb = (rand() - 0.45) * 12;
    if (climb > 0) ascent += climb;
    alt += climb;
    const hr = Math.round(hrAvg + (rand() - 0.5) * 16);
    maxHr = Math.max(maxHr, hr);
    enc.onMesg(M.RECORD, {
      timestamp: at(t), distance: Math.round((t / seconds) * km * 1000 * 100) / 100,
      enhancedSpeed: Math.round((1000 / paceSPerKm) * 1000) / 1000, enhancedAltitude: Math.round(alt * 10) / 10,
      heartRate: hr,
    });
  }
  const end = at(seconds);
  enc.onMesg(M.EVENT, { timestamp: end, event: "timer", eventType: "stopAll", eventGroup: 0 });
  const totals = {
    startTime: at(0), totalElapsedTime: seconds, totalTimerTime: seconds, totalDistance: km * 1000,
    totalAscent: Math.round(ascent), totalDescent: Math.round(ascent), avgHeartRate: hrAvg, maxHeartRate: maxHr,
    sport: "running", subSport: "generic",
  };
  enc.onMesg(M.LAP, { messageIndex: 0, timestamp: end, event: "lap", eventType: "stop", lapTrigger: "sessionEnd", ...totals });
  enc.onMesg(M.SESSION, { messageIndex: 0, timestamp: end, event: "session", eventType: "stop", firstLapIndex: 0, numLaps: 1, trigger: "activityEnd", ...totals });
  enc.onMesg(M.ACTIVITY, { timestamp: end, totalTimerTime: seconds, numSessions: 1, type: "manual", event: "activity", eventType: "stop" });
  return enc.close();
}

const equipmentChoices = ["dumbbell;band", "none", "barbell;box;dumbbell", "gym", "band"];
const rows = ["id,name,sex,exports,races,hr_max_bpm,hr_rest_bpm,lthr_bpm,threshold_pace,equipment,formats,trainingpeaks_athlete_id"];
let files = 0;
for (let a = 1; a <= athletes; a++) {
  const id = `a${String(a).padStart(2, "0")}`;
  const rand = mulberry32(90210 + a);
  const folder = path.join(outDir, id);
  fs.mkdirSync(folder, { recursive: true });
  const peakKm = 40 + Math.round(rand() * 70);
  const pace = 270 + Math.round(rand() * 90);
  const hrMax = 180 + Math.round(rand() * 15);
  const hrRest = 42 + Math.round(rand() * 14);
  const raceWeeksAhead = 2 + (a % 20);
  const raceKm = [30, 50, 80, 100][a % 4];
  for (let w = 0; w < weeks; w++) {
    const build = 0.6 + 0.4 * Math.sin((w / weeks) * Math.PI * 2.3) ** 2;
    const weekKm = peakKm * build * ((w + 1) % 4 === 0 ? 0.65 : 1);
    const runs = [1, 3, 5, 6]; // Tue, Thu, Sat, Sun
    const shares = [0.2, 0.2, 0.25, 0.35];
    runs.forEach((day, i) => {
      const km = Math.max(4, Math.round(weekKm * shares[i] * (0.85 + rand() * 0.3) * 10) / 10);
      const start = firstMonday + (w * 7 + day) * DAY_MS + (6 + Math.floor(rand() * 4)) * 3600000;
      const bytes = activity(rand, start, km, pace + (i === 3 ? 25 : 0), Math.round(hrRest + 0.68 * (hrMax - hrRest)), 3400000000 + a);
      fs.writeFileSync(path.join(folder, `${id}_${ymd(start)}.fit`), bytes);
      files++;
    });
  }
  const race = `${ymd(lastSunday + raceWeeksAhead * 7 * DAY_MS - DAY_MS)},Race ${id},${raceKm},${raceKm * 40}`;
  const paceText = `${Math.floor((pace - 40) / 60)}:${String((pace - 40) % 60).padStart(2, "0")}`;
  rows.push([id, `Athlete ${id}`, a % 2 ? "female" : "male", id, `"${race}"`, hrMax, hrRest, "",
    paceText, equipmentChoices[a % equipmentChoices.length], formats, a % 3 ? 5000000 + a : ""].join(","));
}
fs.writeFileSync(path.join(outDir, "roster.csv"), rows.join("\n") + "\n");
console.log(`${athletes} athletes, ${files} FIT files in ${outDir}`);
